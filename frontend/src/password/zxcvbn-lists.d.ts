// Types for the individual word-list files of the @zxcvbn-ts language packages
// (imported one by one so that unused lists stay out of the bundle).
declare module '@zxcvbn-ts/language-common/dist/adjacencyGraphs.json.mjs' {
  const graphs: import('@zxcvbn-ts/core').OptionsGraph;
  export default graphs;
}
declare module '@zxcvbn-ts/language-common/dist/*.json.mjs' {
  const words: string[];
  export default words;
}
declare module '@zxcvbn-ts/language-en/dist/wordSequences.json.mjs' {
  const lists: Record<string, string[]>;
  export default lists;
}
declare module '@zxcvbn-ts/language-en/dist/translations.mjs' {
  const translations: import('@zxcvbn-ts/core').TranslationKeys;
  export default translations;
}
declare module '@zxcvbn-ts/language-en/dist/*.json.mjs' {
  const words: string[];
  export default words;
}
declare module '@zxcvbn-ts/language-nl-be/dist/*.json.esm.js' {
  /** A comma-separated list in this package's current release. */
  const words: string | string[];
  export default words;
}
