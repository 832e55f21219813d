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
  // --- Where the MFN and VAT/GST rates were read (verification, MFN versions 2 and 3) -------
  // Official URL first where one exists; the title says when the page actually read was a mirror
  // and names every national line read with its rate.
  usHtsLinesRead: {
    url: 'https://hts.usitc.gov/',
    title:
      'HTSUS column 1 general rates, read on mirrors of the USITC schedule (HSRates https://custom-tariffs-seo.pages.dev/en/codes/, "USITC data accessed 2026-02-22"; https://portoria.app/hts/, updated 2025-12-09; https://www.etoolsage.com/Query/USHTS.asp; https://htshub.com/us-hs/, 2024 Rev. 10): 6109.10.00.12/.14 16.5%; 6110.20.20 16.5%; 6111.20.60 8.1%; 6203.42.45.11 16.6%; 6204.42.30.10/.50 8.4%; 6205.20.20.16 19.7%; 4202.21.90.00 9%; 8517.13.00.00 Free; 8517.62.00 Free; 8471.30.01.00 Free; 8471.60.20.00 Free; 8523.51.00.00 Free; 8507.60.00 3.4%; 8518.30.20.00 Free; 8518.22.00.00 Free; 9504.50.00.00 Free; 3303.00.30 Free; 3304.10.00 Free; 3304.30.00 Free; 3304.99.50 Free; 3305.10.00 Free; 9503.00.00.71/.73/.90 Free; 9504.90.60 Free; 0901.21.00 Free; 0902.10.90.50 Free (0902.10.10 flavoured 6.4%); 0902.30.00 Free; 0904.11.00 Free; 7113.11.50 5%; 7113.19.50 5.5%; 7117.19.90 11%; 4901.99.00 Free',
  },
  usCbpRulingsRead: {
    url: 'https://rulings.cbp.gov/',
    title:
      "CBP CROSS rulings read on customsmobile.com mirrors: NY N319939 (2021), leather handbag 4202.21.90.00, 9%; a 2021 NY ruling on cotton babies' garments 6111.20.60.70, 8.1%",
  },
  euTaricLinesRead: {
    url: 'https://ec.europa.eu/taxation_customs/dds2/taric/taric_consultation.jsp',
    title:
      'TARIC third-country duty (erga omnes), read on mirrors (HSRates https://custom-tariffs-seo.pages.dev/en/codes/, "TARIC data accessed 2026-02-22"; https://taric-check.com, "Source: DG TAXUD CIRCABC"; https://celna24.pl/en/customs-tariff/847130; https://dutydesk.app/eu/950300): 6109 10 00 12%; 6110 20 91/99 12%; 6111 20 90 12%; 6203 42 (lines listed, incl. 6203 42 90) 12%; 6204 42 00 12%; 6205 20 00 12%; 4202 21 00 3%; 8517 13 00 0%; 8517 62 00 0%; 8471 30 00 0%; 8471 60 70 0%; 8523 51 10 0%; 8507 60 00 2.7%; 8518 30 0%; 8518 22 00 0%; 9504 50 00 0%; 3303 00, 3304 10 00, 3304 30 00, 3304 99 00, 3305 10 00 0%; 9503 00 41, 9503 00 69, 9503 00 75 4.7%; 9504 90 80 0%; 0901 21 00 7.5%; 0902 10 00 3.2%; 0902 30 00 0%; 0904 11 00 0%; 7113 11 00 2.5%; 7113 19 00 2.5%; 7117 19 00 4%; 4901 99 00 0%',
  },
  gbTariffLinesRead: {
    url: 'https://www.trade-tariff.service.gov.uk/',
    title:
      'UK Global Tariff third-country duty, read on HSRates (https://custom-tariffs-seo.pages.dev/en/codes/, "HMRC data accessed 2026-02-22"): 6109 10 12%; 6110 20 12%; 6111 20 90 00 12%; 6203 42 12%; 6204 42 12%; 6205 20 12%; 4202 21 2%; 8517 13 0%; 8517 62 0%; 8471 60 0%; 8523 51 0%; 8507 60 2%; 8518 30 0%; 8518 22 0%; 9504 50 0%; 3303, 3304 10/30/99, 3305 10 0%; 9504 90 0%; 0901 21 6%; 0902 10 2%; 0902 30 0%; 0904 11 0%; 7113 11 2%; 7113 19 2%; 7117 19 4%; 4901 99 0%. Not reached: 8471 30, 9503',
  },
  caTariffLinesRead: {
    url: 'https://www.cbsa-asfc.gc.ca/trade-commerce/tariff-tarif/',
    title:
      'Customs Tariff MFN rates read on copies of the CBSA schedule: https://betterdollar.com (undated copy, "for the latest tariff rate, please refer to CBSA"): 6109.10 18%, 7113.11.90 8.5%, 7113.19.90 6.5%; https://etoolsage.com/Query/CAHS.asp: 8471.30.00 Free',
  },
  caTariffT2026_2Read: {
    url: 'https://www.cbsa-asfc.gc.ca/trade-commerce/tariff-tarif/2026/html/tblmod-2-eng.html',
    title:
      'Customs Tariff T2026-2 (CBSA chapter pages, effective 2026-09-01, modified 2026-09-16), MFN column, read 2026-11-25 in a GitHub copy parsed from the CBSA HTML chapter pages: github.com/nareshpane/nareshpane.github.io research/harmonized-system/1-harmonized-system-canada/data/hs-t2026-2.json (commit df3ab8c): 6111.20.00 Free (6209.20.00 Free too); 6203.42.00 17%; 8517.62.00 Free; 8471.60.00 Free; 8518.30.10/.90 Free; 9504.50.00 Free; 3303.00.00 6.5%; 3304.99.90 6.5%; 9503.00.90 Free; 9504.90.00 Free; 0901.21.00 Free; 0902.10.10/.90 Free; 0902.30.10/.90 Free; 4901.99.00 Free',
  },
  gbUkgt2021Read: {
    url: 'https://www.gov.uk/guidance/uk-tariff-rates-and-rules-for-imports',
    title:
      'UK Global Tariff as published by the government (global-uk-tariff.csv of 2020-12-02, in force from 2021-01-01), read 2026-11-25 in the GitHub copy GSS-Cogs/family-trade datasets/DIT-UK-tariffs/observations.csv (commit 6f60518): 8471 30 00 0.0%; 9503 00 41 stuffed toys 4.0%, 9503 00 69 puzzles 4.0%, 9503 00 75 plastic toys with a motor 4.0% ("Simplified" from the EU 4.7%). No later copy found',
  },
  caTariffT2026Read: {
    url: 'https://www.cbsa-asfc.gc.ca/trade-commerce/tariff-tarif/',
    title:
      'Customs Tariff T2026, MFN column of the CBSA Customs Tariff database (01-99-2026-0-eng.accdb, table TPHS), read 2026-11-25 in two GitHub copies: github.com/wtsaleksandr-lang/AccessToNorth tariff_data/tphs.csv (commit a4aca0f, raw TPHS export stored next to the .accdb): 6109.10.00 18%; 6110.20.00 18%; 6204.42.00 17%; 6205.20.00 17%; github.com/fahadhg/resilience-hq public/data/tariff.json (commit 801bba4 of 2026-04-12, "Parsed from CBSA T2026 Access database (01-99-2026-0-eng.accdb)", Free shown as 0, rates only on lines ending .00.00): 4202.21.00.00 10%; 8517.13.00.00 Free; 8523.51.00.00 Free; 8507.60.90.00 7% (8507.60.10/.20, for electrically-powered vehicles, Free); 8518.22.00.00 Free; 3304.10.00.00, 3304.30.00.00, 3305.10.00.00 6.5%; 0904.11.00.00 Free; 7117.19.90.00 8.5%; 6204.42.00.00 17%; 8471.30.00.00 Free',
  },
  auTariffLinesRead: {
    url: 'https://www.abf.gov.au/importing-exporting-and-manufacturing/tariff-classification/current-tariff',
    title:
      'ABF Current Tariff, Schedule 3 general rates, read in a scrape of that page (github.com/networkneedsau/australian-tariff-classification, data/tariff-schedule3.json, commit of 2026-04-01): 4202.21.00 5%; 8517.13.00 Free; 8517.62.00 Free; 8471.30.00 Free; 8471.60.00 Free; 8523.51.00 Free; 8507.60.00 5%; 8518.30.90 and 8518.22.00 "5%, 3.75% from 1 July 2018, Free from 1 July 2019"; 9504.50.90 same staging (Free); 9503.00.30 (toys representing animals) 5%, 9503.00.50 (puzzles) Free, 9503.00.80 (toys incorporating a motor) Free; 9504.90.90 5%; 0901.21.00, 0902.10.00, 0902.30.00, 0904.11.00 Free; 7113.11.00 5%; 7113.19.00 5%; 7117.19.00 5%; 4901.99.90 Free. Chapters 33 and 61-62 missing from the scrape',
  },
  jpCustomsAdvanceRulings: {
    url: 'https://www.customs.go.jp/tetsuzuki_search/bunrui/',
    title:
      'Japan Customs advance classification rulings (事前教示回答事例), giving general/WTO (協定) rates and consumption tax: J1/23/J12300949 (Tokyo, 2023-08-23) 0901.21-000 general 20%, WTO 12%, consumption tax 6.24% + local 22/78 (8%); J5/24/J52400174 (Nagoya, 2024-04-23) plush toy 9503.00-000 general Free; J2/23/J22300099 (Yokohama, 2023-12-20) skin-care 3304.99-010 general 5.8%, WTO Free; J5/25/J52500020 (Nagoya, 2025-01-31) T-shirt of man-made fibres 6109.90-200 general 11.2%, WTO 7.4%, consumption tax 7.8% + local 22/78 (10%)',
  },
  jpTariffLinesRead: {
    url: 'https://www.customs.go.jp/english/tariff/',
    title:
      'Japan\'s Tariff Schedule (Statistical Code for Import, April 1, 2024), read on https://htshub.com/jp-hs/: 0902.10.000 general 20%, WTO 17%; 0902.30.010 (black tea) WTO 12%; 4202.21.220 "(2) other" general 12.5%, WTO 10%',
  },
  jpTariff2026Read: {
    url: 'https://www.customs.go.jp/english/tariff/',
    title:
      'Japan\'s Tariff Schedule of 2026-07-09 (Japanese pages www.customs.go.jp/tariff/2026_07_09/data/j_NN.htm, as named in the scraper), read 2026-11-25 in the scrape github.com/qlitre/japan-tariff-mcp src/tariffdata/j_NN_tariff_data.json (commit 715eff9 of 2026-07-12, version "2026_07_09"); WTO rate, or the general rate where the WTO rate is bracketed; no temporary rate on any line read: 6109.10-020 7.4% (-010, yarn-dyed or printed, 10.9%); 6110.20-029 9.1% (-030 sweatshirts and -019 embroidered, lace or patterned knit 10.9%); 6111.20-300 10.8% (gloves -150 and hosiery 7.4%); 6203.42-200 9.1%; 6204.42-200 9.1%; 6205.20-000 7.4%; 8517.13, 8517.62, 8471.30, 8471.60, 8523.51, 8507.60, 8518.30, 8518.22, 9504.50 Free; 3303.00, 3304.10, 3304.30, 3304.99, 3305.10 WTO Free; 9504.90-010 (table games) WTO Free; 9503.00 Free; 0904.11-100 (retail containers) 3% (-200 Free); 0901.21 12%; 0902.10 17%; 0902.30-010 12%; 4202.21-220 10%; 7113.11 5.2%; 7113.19-021/-029 (other than platinum) 5.4% (-010 platinum 5.2%); 7117.19 3.7%; 4901.99 Free',
  },
  gbVatHowMuch: {
    url: 'https://www.gov.uk/how-vat-works/how-much-vat-you-must-charge',
    title:
      "GOV.UK – How VAT works: how much VAT you must charge (standard rate 20%; zero-rated examples include books and children's clothes and shoes)",
  },
  ieVatZeroRate: {
    url: 'https://www.revenue.ie/en/vat/vat-rates/what-are-vat-rates/zero-rate-vat.aspx',
    title:
      'Revenue (Ireland) – Zero rate of VAT: certain food and drink, certain books, clothing and footwear appropriate to children under 11 years of age',
  },
  deUstgAnlage2: {
    url: 'https://www.gesetze-im-internet.de/ustg_1980/',
    title:
      'UStG Anlage 2 (goods at the reduced 7% rate), Nr. 12: Chapter 9 coffee, tea and spices (read via haufe.de)',
  },
  caNsHst2025: {
    url: 'https://gazette.gc.ca/rp-pr/p2/2025/2025-03-26/html/sor-dors77-eng.html',
    title:
      'SOR/2025-77, Regulations Amending Various GST/HST Regulations, No. 14 (Nova Scotia): provincial rate for Nova Scotia 9% (HST 14%) from April 1, 2025',
  },
  auGstFood: {
    url: 'https://www.legislation.gov.au/',
    title:
      'A New Tax System (Goods and Services Tax) Act 1999, Subdivision 38-A: food GST-free, s 38-4 "food" includes beverages and condiments/spices (read on a mirror of the Act)',
  },
  vatRatesSecondary: {
    url: 'https://ec.europa.eu/taxation_customs/tedb/#/home',
    title:
      'Rates read only on third-party summaries, official page not reached: FR 20% / 5.5% food and books (calculatrice.com); NL 21% / 9% food and books (loorbachfd.nl); IE 23% standard (alanmoore.ie); GB food zero-rated (mobilexpense.com citing GOV.UK); AU GST 10% (myinvoicetemplate.com citing business.gov.au) and tea, coffee and spices GST-free (amust.com.au); CA HST ON 13%, NB/NL/PE 15% (ace-volve.com, May 2025)',
  },
} as const satisfies Record<string, RuleSource>;
