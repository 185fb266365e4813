import 'server-only';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Messages = Record<string, unknown>;

const cache = new Map<string, Messages>();
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * The message catalogue of one locale: every `messages/<locale>/<namespace>.json`, keyed by namespace. A step
 * brings its own namespace file, so adding a step or a language touches no other file.
 */
export function loadMessages(locale: string, root: string = process.cwd()): Messages {
  if (!LOCALE.test(locale)) throw new Error(`not a locale: ${locale}`);
  const hit = cache.get(locale);
  if (hit) return hit;
  const folder = path.join(/*turbopackIgnore: true*/ root, 'messages', locale);
  const messages: Messages = {};
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.json')).sort()) {
    messages[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as unknown;
  }
  cache.set(locale, messages);
  return messages;
}

/** Looks up `a.b.c` in a catalogue and fills `{name}` placeholders; the key itself when missing. */
export function translate(messages: Messages, key: string, values: Record<string, string | number> = {}): string {
  let node: unknown = messages;
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  if (typeof node !== 'string') return key;
  return node.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
