export { describeResult } from './describe.ts';
export { type ExportRecord, readBallotExport } from './reader.ts';
export {
  type Comparison,
  compareWithPublished,
  type PublishedResult,
  type PublishedResults,
  publishedResults,
  type Recount,
  recountBallotExport,
} from './recount.ts';
export {
  BALLOT_EXPORT_VERSION,
  type ExportBallot,
  ExportBallotSchema,
  type ExportFormat,
  ExportFormatError,
  type ExportOption,
  ExportOptionSchema,
  type ExportRound,
  ExportRoundSchema,
} from './shapes.ts';
export {
  csvBallotRow,
  csvHeaderRow,
  csvRoundCells,
  EXPORT_CONTENT_TYPES,
  ndjsonBallotLine,
  ndjsonEndLine,
  ndjsonRoundLine,
} from './writer.ts';
