export * from './temperature-statistics.js';
export * from './readings-csv.js';
export * from './series-step.js';
export * from './excursion-report.pdf.js';
export * from './reading-pages.js';
export * from './tenant-export.js';
export * from './report-signature.js';
