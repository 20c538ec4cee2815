// The knowledge base's one door.
export { createKb, type Kb, type KbArticle, type KbHit, type KbSuggestions, type KbConfig } from './kb.ts';
export { KB_KINDS, type KbKind, type KbTags } from './markdown.ts';
