import 'server-only';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import type { StepsFile } from '../../config/steps-file';
import type { TermsVersion } from './config-schema';

// Raw HTML in the markdown is escaped (html: false) and the output is sanitised again, so a terms file
// can never carry a script into the page.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'code', 'pre', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['https', 'mailto'],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }),
    // The page owns the one h1; the document's headings sit one level below it.
    h1: 'h2',
    h2: 'h3',
    h3: 'h4',
  },
};

export interface TermsDocument {
  version: string;
  locale: string;
  html: string;
  sha256: string;
}

const cache = new Map<string, TermsDocument>();

/** The document for the person's locale, falling back to the default locale; read and rendered once. */
export function loadTermsDocument(version: TermsVersion, locale: string, steps: StepsFile, root = process.cwd()): TermsDocument {
  const chosenLocale = version.documents[locale] ? locale : steps.locales.default;
  const file = version.documents[chosenLocale];
  if (!file) throw new Error(`terms version ${version.version} has no document for ${chosenLocale}`);
  const key = `${version.version}:${chosenLocale}:${file}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const text = readFileSync(/*turbopackIgnore: true*/ path.resolve(root, file), 'utf8');
  const document: TermsDocument = {
    version: version.version,
    locale: chosenLocale,
    html: renderTermsMarkdown(text),
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  };
  cache.set(key, document);
  return document;
}

export function renderTermsMarkdown(text: string): string {
  return sanitizeHtml(markdown.render(text), SANITIZE_OPTIONS);
}
