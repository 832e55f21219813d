import type { TaxCategory } from './types';

/**
 * The sample catalogue: products the quote engine is exercised with. Each names its national
 * tariff line (10 digits, US/EU-style) and the tax category that decides reduced VAT rates.
 * Products are fictional; their classification follows the HS nomenclature.
 */
export type ProductCategory =
  'clothing' | 'electronics' | 'cosmetics' | 'toys' | 'food' | 'jewellery' | 'books' | 'accessories';

export interface CatalogueProduct {
  readonly sku: string;
  readonly description: string;
  readonly hsCode: string;
  readonly category: ProductCategory;
  readonly taxCategory: TaxCategory;
  readonly weightGrams: number;
}

// prettier-ignore
export const CATALOGUE: readonly CatalogueProduct[] = [
  { sku: 'TEE-COT-001', description: 'Organic cotton T-shirt, men', hsCode: '6109100012', category: 'clothing', taxCategory: 'standard', weightGrams: 180 },
  { sku: 'TEE-COT-KID', description: 'Cotton T-shirt, children size 6', hsCode: '6109100014', category: 'clothing', taxCategory: 'childrenClothing', weightGrams: 90 },
  { sku: 'SWT-COT-001', description: 'Cotton crew-neck sweater', hsCode: '6110202079', category: 'clothing', taxCategory: 'standard', weightGrams: 450 },
  { sku: 'BBY-COT-001', description: 'Baby bodysuit, cotton, 3-6 months', hsCode: '6111206010', category: 'clothing', taxCategory: 'childrenClothing', weightGrams: 80 },
  { sku: 'JNS-COT-001', description: 'Denim jeans, men', hsCode: '6203424011', category: 'clothing', taxCategory: 'standard', weightGrams: 700 },
  { sku: 'DRS-COT-001', description: 'Summer dress, cotton', hsCode: '6204423010', category: 'clothing', taxCategory: 'standard', weightGrams: 300 },
  { sku: 'SHR-COT-001', description: 'Oxford shirt, cotton', hsCode: '6205202016', category: 'clothing', taxCategory: 'standard', weightGrams: 280 },
  { sku: 'BAG-LTH-001', description: 'Leather handbag', hsCode: '4202219000', category: 'accessories', taxCategory: 'standard', weightGrams: 900 },
  { sku: 'PHN-SMT-001', description: 'Smartphone 128 GB (lithium-ion battery inside)', hsCode: '8517130000', category: 'electronics', taxCategory: 'standard', weightGrams: 400 },
  { sku: 'WCH-SMT-001', description: 'Smartwatch (lithium-ion battery inside)', hsCode: '8517620090', category: 'electronics', taxCategory: 'standard', weightGrams: 150 },
  { sku: 'LAP-13-001', description: '13-inch laptop (lithium-ion battery inside)', hsCode: '8471300100', category: 'electronics', taxCategory: 'standard', weightGrams: 1800 },
  { sku: 'KBD-MEC-001', description: 'Mechanical keyboard, wired', hsCode: '8471607050', category: 'electronics', taxCategory: 'standard', weightGrams: 1100 },
  { sku: 'SSD-1TB-001', description: 'Portable SSD 1 TB', hsCode: '8523510000', category: 'electronics', taxCategory: 'standard', weightGrams: 120 },
  { sku: 'PWB-10K-001', description: 'Power bank 10,000 mAh (lithium-ion, shipped alone)', hsCode: '8507600020', category: 'electronics', taxCategory: 'standard', weightGrams: 250 },
  { sku: 'EAR-BT-001', description: 'Wireless earbuds (lithium-ion batteries inside)', hsCode: '8518302000', category: 'electronics', taxCategory: 'standard', weightGrams: 100 },
  { sku: 'SPK-BT-001', description: 'Bluetooth speaker (lithium-ion battery inside)', hsCode: '8518220000', category: 'electronics', taxCategory: 'standard', weightGrams: 600 },
  { sku: 'CON-HND-001', description: 'Handheld game console (lithium-ion battery inside)', hsCode: '9504500000', category: 'electronics', taxCategory: 'standard', weightGrams: 500 },
  { sku: 'PRF-EDP-050', description: 'Eau de parfum 50 ml', hsCode: '3303003000', category: 'cosmetics', taxCategory: 'standard', weightGrams: 250 },
  { sku: 'LIP-MAT-001', description: 'Matte lipstick', hsCode: '3304100000', category: 'cosmetics', taxCategory: 'standard', weightGrams: 30 },
  { sku: 'NAI-POL-001', description: 'Nail polish 10 ml', hsCode: '3304300000', category: 'cosmetics', taxCategory: 'standard', weightGrams: 40 },
  { sku: 'CRM-FAC-001', description: 'Face moisturiser 50 ml', hsCode: '3304995000', category: 'cosmetics', taxCategory: 'standard', weightGrams: 120 },
  { sku: 'SHP-HRB-001', description: 'Herbal shampoo 250 ml', hsCode: '3305100000', category: 'cosmetics', taxCategory: 'standard', weightGrams: 300 },
  { sku: 'TOY-PLU-001', description: 'Plush bear', hsCode: '9503000071', category: 'toys', taxCategory: 'standard', weightGrams: 250 },
  { sku: 'TOY-PUZ-001', description: 'Jigsaw puzzle 1000 pieces', hsCode: '9503000090', category: 'toys', taxCategory: 'standard', weightGrams: 600 },
  { sku: 'TOY-RCC-001', description: 'Remote-control car (lithium-ion battery inside)', hsCode: '9503000073', category: 'toys', taxCategory: 'standard', weightGrams: 700 },
  { sku: 'GAM-BRD-001', description: 'Strategy board game', hsCode: '9504906000', category: 'toys', taxCategory: 'standard', weightGrams: 1200 },
  { sku: 'COF-BEA-250', description: 'Roasted coffee beans 250 g', hsCode: '0901210020', category: 'food', taxCategory: 'food', weightGrams: 270 },
  { sku: 'TEA-GRN-100', description: 'Sencha green tea 100 g', hsCode: '0902101015', category: 'food', taxCategory: 'food', weightGrams: 120 },
  { sku: 'TEA-BLK-100', description: 'Assam black tea 100 g', hsCode: '0902300010', category: 'food', taxCategory: 'food', weightGrams: 120 },
  { sku: 'PEP-BLK-050', description: 'Whole black peppercorns 50 g', hsCode: '0904110000', category: 'food', taxCategory: 'food', weightGrams: 70 },
  { sku: 'JWL-SLV-001', description: 'Sterling silver ring', hsCode: '7113115000', category: 'jewellery', taxCategory: 'standard', weightGrams: 20 },
  { sku: 'JWL-GLD-001', description: '18k gold necklace', hsCode: '7113195000', category: 'jewellery', taxCategory: 'standard', weightGrams: 25 },
  { sku: 'JWL-IMT-001', description: 'Costume earrings, base metal', hsCode: '7117199000', category: 'jewellery', taxCategory: 'standard', weightGrams: 15 },
  { sku: 'BOK-PRT-001', description: 'Printed cookbook', hsCode: '4901990093', category: 'books', taxCategory: 'books', weightGrams: 800 },
];

export const CATALOGUE_BY_SKU: ReadonlyMap<string, CatalogueProduct> = new Map(
  CATALOGUE.map((p) => [p.sku, p]),
);
