import { z } from 'zod';

// Placeholder until the profile step lands: the section is accepted only when absent.
export const profileConfigSchema = z.never();
