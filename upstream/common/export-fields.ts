/**
 * Field projection on the council systems' bulk exports (`fields` in an export's body, as case
 * systems' extract APIs offer): a name is a field of the exported record (`DOB`, `episodes`,
 * the whole of a part) or a field of one of its parts, an object or a list of objects
 * (`episodes.DECOM`: that field of every episode). Two levels, no deeper: what a statutory
 * return's extract specification names. The record's key is always sent.
 */

/** The element of a part: a list's item, or the object itself. */
type PartOf<T> = NonNullable<T> extends ReadonlyArray<infer E> ? E : NonNullable<T>;

/** The names `fields` may hold for an export of records of type `T`. */
export type ExportField<T> = {
  [K in keyof T & string]:
    | K
    | (PartOf<T[K]> extends object
        ? PartOf<T[K]> extends ReadonlyArray<unknown>
          ? never
          : `${K}.${keyof PartOf<T[K]> & string}`
        : never);
}[keyof T & string];

/**
 * Every name of `ExportField<T>`, written out (for the systems' validation and the OpenAPI
 * enum): `exportFields<ScChildRecord>()([...])` fails to compile if the list misses a field
 * of the type or names one it does not have, so the list cannot drift from the contract type.
 */
export function exportFields<T>() {
  return <const L extends readonly ExportField<T>[]>(
    list: L &
      ([Exclude<ExportField<T>, L[number]>] extends [never]
        ? unknown
        : { missing: Exclude<ExportField<T>, L[number]> }),
  ): L => list;
}

/** Top-level names of a projection: `episodes.DECOM` is under `episodes`. */
export function topLevelOf(field: string): string {
  const dot = field.indexOf('.');
  return dot === -1 ? field : field.slice(0, dot);
}
