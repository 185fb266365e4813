import type { z } from 'zod';

/** Turns zod issues into one line per problem, naming the variable and never echoing its value. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string[] {
  return issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${prefix}${where}: ${issue.message}`;
  });
}
