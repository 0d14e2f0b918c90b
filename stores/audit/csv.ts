/** The CSV writer is shared by every export: it lives in lib/csv.ts. */
export * from '../../lib/csv';
