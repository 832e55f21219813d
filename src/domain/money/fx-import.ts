/** The daily import of the ECB's reference rates; its workflows are `fx-import-daily-<time>`. */
export const FX_IMPORT_SCHEDULE_ID = 'fx-import-daily';

/** What the import workflow is given: where to download the day's rates. */
export interface FxImportInput {
  url: string;
}
