import type { RuleSource } from './types';

/**
 * Official sources cited by the rule data. Where the exact page of an act was not reached, the URL
 * is the official index that lists it and the title names the act precisely (EO number, CSMS
 * number, date). "Checked" in the notes of a rule means the fact was
 * read (through the project's search tool) on the page or in an official text quoted by it;
 * the README lists what was checked and what was not.
 */
export const SOURCES = {
  us19usc1321: {
    url: 'https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title19-section1321',
    title: '19 U.S.C. 1321 – Administrative exemptions (de minimis, USD 800 per person per day)',
  },
  usEo14324: {
    url: 'https://www.govinfo.gov/content/pkg/CDOC-119hdoc85/html/CDOC-119hdoc85.htm',
    title:
      'Executive Order "Suspending Duty-Free De Minimis Treatment for All Countries" (July 30, 2025), House Document 119-85',
  },
  usEo14256: {
    url: 'https://www.federalregister.gov/presidential-documents/executive-orders',
    title:
      'Executive Order 14256 (April 2, 2025): de minimis ended for products of the PRC and Hong Kong from May 2, 2025',
  },
  usEo14195: {
    url: 'https://www.govinfo.gov/content/pkg/FR-2025-02-07/html/2025-02408.htm',
    title:
      'Executive Order 14195 (Feb 1, 2025): Imposing Duties To Address the Synthetic Opioid Supply Chain in the PRC',
  },
  usEo14228: {
    url: 'https://www.federalregister.gov/presidential-documents/executive-orders',
    title: 'Executive Order 14228 (March 3, 2025): fentanyl duty on PRC raised from 10 to 20 percent',
  },
  usFentanylNov2025: {
    url: 'https://www.whitehouse.gov/presidential-actions/',
    title:
      'Executive Order of Nov 4, 2025: PRC fentanyl duty reduced from 20 to 10 percent effective Nov 10, 2025',
  },
  usEo14257: {
    url: 'https://www.federalregister.gov/presidential-documents/executive-orders',
    title:
      'Executive Order 14257 (April 2, 2025) and amendments EO 14259, EO 14266, EO 14298 (reciprocal tariffs, PRC rates)',
  },
  usEndingIeepaFeb2026: {
    url: 'https://www.cbp.gov/trade/automated/cargo-systems-messaging-service',
    title:
      'Executive Order "Ending Certain Tariff Actions" (Feb 20, 2026) after Learning Resources v. Trump; CBP CSMS #67834313: IEEPA duties not collected on entries from 12:00 a.m. EST Feb 24, 2026',
  },
  usSection122: {
    url: 'https://www.whitehouse.gov/wp-content/uploads/2026/02/2026Section122.prc_.ANNEX1_.FINAL_.pdf',
    title:
      'Proclamation "Imposing a Temporary Import Surcharge" under Section 122 of the Trade Act of 1974 (Feb 20, 2026), HTSUS 9903.03.01, Feb 24 – July 24, 2026; CBP CSMS #67844987',
  },
  usSection301: {
    url: 'https://ustr.gov/issue-areas/enforcement/section-301-investigations/tariff-actions',
    title:
      'USTR Section 301 tariff actions on China (Lists 1–4A) and the 2024 four-year review modifications',
  },
  usHts: {
    url: 'https://hts.usitc.gov/',
    title: 'Harmonized Tariff Schedule of the United States (USITC), column 1 general rates',
  },
  euIoss: {
    url: 'https://vat-one-stop-shop.ec.europa.eu/one-stop-shop/import-one-stop-shop-ioss_en',
    title:
      'European Commission – Import One-Stop Shop (IOSS): distance sales of goods in consignments of intrinsic value not exceeding EUR 150',
  },
  euDirective2017_2455: {
    url: 'https://eur-lex.europa.eu/eli/dir/2017/2455/oj',
    title: 'Council Directive (EU) 2017/2455 (VAT e-commerce package, applicable from 1 July 2021)',
  },
  euDutyRelief1186: {
    url: 'https://eur-lex.europa.eu/eli/reg/2009/1186/oj',
    title:
      'Council Regulation (EC) No 1186/2009, Article 23: relief from import duty for consignments of negligible value not exceeding EUR 150',
  },
  deZollInternetOrders: {
    url: 'https://zoll.de/EN/Private-individuals/Postal_consignments_internet_order/Shipments-from-a-non-EU-country/Duties-and-taxes/Internet-orders/internet-orders_node.html',
    title:
      'German Customs (Zoll) – Internet orders: VAT on all imports, consignments up to EUR 150 free of customs duty',
  },
  euFlatDuty2026: {
    url: 'https://www.consilium.europa.eu/en/press/press-releases/',
    title:
      'Council of the EU press release, 11 Feb 2026: "Council gives final green light to new customs duty rules for small parcels" – EUR 3 per distinct tariff sub-heading in parcels under EUR 150, 1 July 2026 – 1 July 2028',
  },
  euTaric: {
    url: 'https://ec.europa.eu/taxation_customs/dds2/taric/taric_consultation.jsp',
    title: 'TARIC – Integrated Tariff of the European Union, third-country duty (erga omnes)',
  },
  euVatRates: {
    url: 'https://ec.europa.eu/taxation_customs/tedb/#/home',
    title: 'European Commission – Taxes in Europe Database (VAT rates per Member State)',
  },
  ieVatChildren: {
    url: 'https://www.revenue.ie/en/vat/vat-rates/index.aspx',
    title:
      "Revenue (Ireland) – VAT rates; zero rate for children's clothing and footwear (VAT Consolidation Act 2010, Sch. 2 para 10)",
  },
  gbLowValue: {
    url: 'https://www.gov.uk/guidance/vat-and-overseas-goods-sold-directly-to-customers-in-the-uk',
    title:
      'HMRC – VAT and overseas goods sold directly to customers in the UK (consignments of GBP 135 or less)',
  },
  gbTariff: {
    url: 'https://www.trade-tariff.service.gov.uk/',
    title: 'UK Integrated Online Tariff (UK Global Tariff), third country duty',
  },
  gbVatRates: {
    url: 'https://www.gov.uk/guidance/rates-of-vat-on-different-goods-and-services',
    title: 'HMRC – VAT rates on different goods and services',
  },
  auLowValue: {
    url: 'https://archive.homeaffairs.gov.au/News/Pages/gst-on-low-value-imported-goods.aspx',
    title:
      'Department of Home Affairs / ABF – GST on low value imported goods (AUD 1,000 or less) from 1 July 2018',
  },
  auAtoLcr: {
    url: 'https://www.ato.gov.au/law/view/print?DocID=COD%2FLCR2017D2%2FNAT%2FATO%2F00001&PiT=99991231235958',
    title: 'ATO Law Companion Ruling LCR 2018/1 – GST on supplies of low value imported goods',
  },
  auTariff: {
    url: 'https://www.abf.gov.au/',
    title: 'ABF – Working Tariff (Customs Tariff Act 1995, Schedule 3 general rates)',
  },
  caCusma: {
    url: 'https://cbsa-asfc.gc.ca/services/cusma-aceum/lvs-efv-eng.html',
    title:
      'CBSA – CUSMA: increase to low-value shipment thresholds (courier: CAD 40 duty and tax free, CAD 150 duty free from US/MX; CAD 20 otherwise)',
  },
  caCn2018: {
    url: 'https://cbsa-asfc.gc.ca/publications/cn-ad/cn20-18-eng.html',
    title: 'CBSA Customs Notice 20-18: CUSMA de minimis thresholds for courier imports',
  },
  caTariff: {
    url: 'https://www.cbsa-asfc.gc.ca/trade-commerce/tariff-tarif/',
    title: 'CBSA – Customs Tariff (MFN tariff)',
  },
  caGstHst: {
    url: 'https://www.canada.ca/en/revenue-agency/services/tax/businesses/topics/gst-hst-businesses/charge-collect-which-rate/calculator.html',
    title: 'Canada Revenue Agency – GST/HST rates by province (Nova Scotia 14% from April 1, 2025)',
  },
  jpSmallConsignment: {
    url: 'https://www.customs.go.jp/english/c-answer_e/imtsukan/1006_e.htm',
    title: 'Japan Customs FAQ 1006 – Duty exemption for goods at a total customs value of 10,000 yen or less',
  },
  jpPersonalUseValue: {
    url: 'https://www.customs.go.jp/english/c-answer_e/imtsukan/1405_e.htm',
    title:
      'Japan Customs FAQ 1405 – Special rules to determine the customs value (goods imported for private use; Customs Tariff Act Art. 4-6, Enforcement Order Art. 1-13)',
  },
  jpTariff: {
    url: 'https://www.customs.go.jp/english/tariff/',
    title: "Japan's Tariff Schedule (Japan Customs), WTO/general rates",
  },
  jpConsumptionTax: {
    url: 'https://www.nta.go.jp/english/taxes/consumption_tax/',
    title:
      'National Tax Agency – Consumption tax: standard 10%, reduced 8% for food and beverages (from Oct 1, 2019)',
  },
} as const satisfies Record<string, RuleSource>;
