import { z } from 'zod';

// Placeholder until the password step lands: the section is accepted only when absent.
export const passwordConfigSchema = z.never();
