/**
 * The HS subheadings Borderline knows: the 6-digit codes of the sample catalogue plus the
 * restricted goods it screens for. An HS code on an order must start with one of these (HS 2022
 * nomenclature, World Customs Organization, https://www.wcoomd.org/en/topics/nomenclature/instrument-and-tools/hs-nomenclature-2022-edition.aspx).
 * The descriptions are shortened from the nomenclature. This is a sample table, not the whole
 * nomenclature: an unknown subheading is refused rather than guessed.
 *
 * `traits` carry what compliance needs to know about goods of that subheading.
 */
export type GoodsTrait =
  | 'LITHIUM_ION_STANDALONE' // UN3480: lithium-ion cells/batteries shipped on their own
  | 'LITHIUM_IN_EQUIPMENT' // UN3481: lithium-ion batteries contained in equipment
  | 'FLAMMABLE_LIQUID' // UN1266 perfumery products / UN1263 paint-like (nail varnish)
  | 'ALCOHOL'
  | 'TOBACCO'
  | 'BLADED_ARTICLE'
  | 'FOOD'
  | 'FIREWORKS'
  | 'WEAPON';

export interface HsSubheading {
  readonly hs6: string;
  readonly description: string;
  readonly traits: readonly GoodsTrait[];
}

export const HS_SUBHEADINGS: readonly HsSubheading[] = [
  // Clothing (Section XI)
  { hs6: '610910', description: 'T-shirts, singlets and other vests, knitted, of cotton', traits: [] },
  { hs6: '611020', description: 'Jerseys, pullovers, cardigans and similar, knitted, of cotton', traits: [] },
  { hs6: '611120', description: "Babies' garments and clothing accessories, knitted, of cotton", traits: [] },
  { hs6: '620342', description: "Men's or boys' trousers and shorts, of cotton (not knitted)", traits: [] },
  { hs6: '620442', description: "Women's or girls' dresses, of cotton (not knitted)", traits: [] },
  { hs6: '620520', description: "Men's or boys' shirts, of cotton (not knitted)", traits: [] },
  { hs6: '420221', description: 'Handbags with outer surface of leather', traits: [] },
  // Electronics (Chapters 84, 85, 95)
  { hs6: '851713', description: 'Smartphones', traits: ['LITHIUM_IN_EQUIPMENT'] },
  {
    hs6: '851762',
    description: 'Machines for the reception and transmission of data (e.g. smartwatches)',
    traits: ['LITHIUM_IN_EQUIPMENT'],
  },
  {
    hs6: '847130',
    description: 'Portable automatic data-processing machines (laptops)',
    traits: ['LITHIUM_IN_EQUIPMENT'],
  },
  { hs6: '847160', description: 'Input or output units (keyboards, mice)', traits: [] },
  {
    hs6: '852351',
    description: 'Solid-state non-volatile storage devices (flash memory cards, SSDs)',
    traits: [],
  },
  {
    hs6: '850760',
    description: 'Lithium-ion accumulators (power banks, spare batteries)',
    traits: ['LITHIUM_ION_STANDALONE'],
  },
  { hs6: '851830', description: 'Headphones and earphones', traits: ['LITHIUM_IN_EQUIPMENT'] },
  {
    hs6: '851822',
    description: 'Multiple loudspeakers mounted in the same enclosure',
    traits: ['LITHIUM_IN_EQUIPMENT'],
  },
  { hs6: '950450', description: 'Video game consoles and machines', traits: ['LITHIUM_IN_EQUIPMENT'] },
  // Cosmetics (Chapter 33)
  { hs6: '330300', description: 'Perfumes and toilet waters', traits: ['FLAMMABLE_LIQUID'] },
  { hs6: '330410', description: 'Lip make-up preparations', traits: [] },
  {
    hs6: '330430',
    description: 'Manicure or pedicure preparations (nail varnish)',
    traits: ['FLAMMABLE_LIQUID'],
  },
  { hs6: '330499', description: 'Beauty or skin-care preparations, other', traits: [] },
  { hs6: '330510', description: 'Shampoos', traits: [] },
  // Toys and games (Chapter 95)
  { hs6: '950300', description: 'Tricycles, scooters, dolls, other toys, puzzles', traits: [] },
  { hs6: '950490', description: 'Board games and other parlour games', traits: [] },
  // Food (Chapters 09)
  { hs6: '090121', description: 'Coffee, roasted, not decaffeinated', traits: ['FOOD'] },
  { hs6: '090210', description: 'Green tea (not fermented) in packings of 3 kg or less', traits: ['FOOD'] },
  { hs6: '090230', description: 'Black tea (fermented) in packings of 3 kg or less', traits: ['FOOD'] },
  { hs6: '090411', description: 'Pepper of the genus Piper, neither crushed nor ground', traits: ['FOOD'] },
  // Jewellery (Chapter 71)
  { hs6: '711311', description: 'Articles of jewellery of silver', traits: [] },
  { hs6: '711319', description: 'Articles of jewellery of other precious metal (gold)', traits: [] },
  { hs6: '711719', description: 'Imitation jewellery of base metal', traits: [] },
  // Books (Chapter 49)
  { hs6: '490199', description: 'Printed books, brochures and similar printed matter, other', traits: [] },
  // Screened, not quoted: restricted or prohibited in some destinations
  {
    hs6: '220421',
    description: 'Wine of fresh grapes in containers of 2 litres or less',
    traits: ['ALCOHOL', 'FOOD'],
  },
  { hs6: '220830', description: 'Whiskies', traits: ['ALCOHOL', 'FOOD'] },
  { hs6: '240220', description: 'Cigarettes containing tobacco', traits: ['TOBACCO'] },
  { hs6: '821192', description: 'Other knives having fixed blades', traits: ['BLADED_ARTICLE'] },
  {
    hs6: '821193',
    description: 'Knives having other than fixed blades (folding knives)',
    traits: ['BLADED_ARTICLE'],
  },
  { hs6: '360410', description: 'Fireworks', traits: ['FIREWORKS'] },
  { hs6: '930320', description: 'Other sporting, hunting or target-shooting shotguns', traits: ['WEAPON'] },
];

export const HS_BY_CODE: ReadonlyMap<string, HsSubheading> = new Map(HS_SUBHEADINGS.map((h) => [h.hs6, h]));
