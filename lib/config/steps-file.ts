import { z } from 'zod';
import { localeTag } from './schema-parts';

/**
 * Branding is applied as CSS custom properties inside a <style> element (app/layout.tsx, lib/http/html.ts), so every
 * value is held to a shape that cannot leave its declaration: hex colours, plain lengths, font names from a small
 * character set, and paths under public/.
 */
const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #4f46e5');
const publicPath = (example: string, suffix = '') =>
  z
    .string()
    .max(200)
    .regex(new RegExp(`^/[A-Za-z0-9_-][A-Za-z0-9._/-]*${suffix}$`), `must be a path under public/, such as ${example}`)
    .refine((value) => !value.split('/').includes('..'), `must be a path under public/, such as ${example}`);
const cornerRadius = z.string().regex(/^(0|(?:[0-9]|[12][0-9]|3[0-2])(?:\.[0-9]{1,2})?px|(?:[0-1](?:\.[0-9]{1,3})?|2)rem)$/, 'must be a length from 0 to 32px (or 2rem), such as 12px or 0.75rem');
const FONT_NAME = `(?:"[A-Za-z0-9 -]{1,60}"|'[A-Za-z0-9 -]{1,60}'|-?[A-Za-z][A-Za-z0-9-]{0,40}(?: [A-Za-z0-9-]{1,40}){0,4})`;
const fontStack = z
  .string()
  .max(300)
  .regex(new RegExp(`^${FONT_NAME}(?: ?, ?${FONT_NAME}){0,15}$`), 'must be a list of font names such as "Inter", system-ui, sans-serif');

export const brandingSchema = z
  .object({
    product_name: z.string().min(1).max(80),
    logo: publicPath('/logo.svg').optional(),
    primary_color: hexColour.default('#4f46e5'),
    support_url: z.url({ protocol: /^(https?|mailto)$/ }).optional(),
    /** The page behind the card (light scheme). */
    background: hexColour.optional(),
    corner_radius: cornerRadius.optional(),
    font_stack: fontStack.optional(),
    /** A stylesheet under public/, loaded after Detour's own (so it can override any rule). */
    custom_css: publicPath('/brand.css', '\\.css').optional(),
    /** Colours when the person's system asks for a dark scheme. */
    dark: z.object({ primary_color: hexColour.optional(), background: hexColour.optional() }).strict().optional(),
  })
  .strict();

export type Branding = z.infer<typeof brandingSchema>;

const baseShape = {
  branding: brandingSchema,
  locales: z
    .object({ default: localeTag, supported: z.array(localeTag).min(1) })
    .strict()
    .refine((l) => l.supported.includes(l.default), 'the default locale must be one of the supported ones'),
};

/** A step's part of the steps file, as lib/steps/types.ts `StepSettings` declares it. */
export interface SectionSchema {
  schema: z.ZodType;
  required?: boolean;
}

/**
 * The steps file (DETOUR_CONFIG): branding, locales, and one section per step, under the step's id, each checked by
 * the schema its step declares (lib/config/load-steps-file.ts passes the registry's). Nothing else is allowed.
 */
export function stepsFileSchemaFor(sections: Readonly<Record<string, SectionSchema>>) {
  const stepShape = Object.fromEntries(Object.entries(sections).map(([id, section]) => [id, section.required ? section.schema : section.schema.optional()]));
  return z.object({ ...baseShape, ...stepShape }).strict();
}

/**
 * A checked steps file: branding and locales typed here, each step's section read through that step's own accessor
 * (a step's section is its own business: lib/steps/<id>/).
 */
export type StepsFile = z.infer<z.ZodObject<typeof baseShape>> & {
  readonly [section: string]: unknown;
};
