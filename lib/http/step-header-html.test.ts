import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMessages } from '../i18n/catalogue';
import { stepHeaderHtml, type StepHeaderFlow } from './step-header-html';

const messages = loadMessages('en', path.resolve(__dirname, '../..'));
const revisitable = (id: string) => id !== 'password';
const header = (flow: StepHeaderFlow | null, stepId = 'terms') => stepHeaderHtml({ flow, stepId, messages, revisitable });
const flow = (overrides: Partial<StepHeaderFlow> = {}): StepHeaderFlow => ({ steps: ['terms'], completed: [], email: 'alice@example.com', ...overrides });
const START_OVER = '<form method="post" action="/start-over"><button type="submit" class="linklike">Not you? Start over</button></form>';

describe('stepHeaderHtml: whose account', () => {
  it.each([
    ['the masked email', flow(), '<span data-testid="account">Signing in as a***e@example.com</span>'],
    ['the name when there is no email', flow({ email: undefined, name: 'Bob <b>' }), '<span data-testid="account">Signing in as Bob &lt;b&gt;</span>'],
    ['nothing to name', flow({ email: undefined }), '<span></span>'],
    ['no flow (the sign-in was lost)', null, '<span></span>'],
  ])('%s', (_, current, account) => {
    expect(header(current)).toBe(`<div class="account">${account}${START_OVER}</div>`);
  });
});

describe('stepHeaderHtml: progress', () => {
  it('is left out for a single step', () => {
    expect(header(flow())).not.toContain('<nav');
  });

  it.each([
    ['the first of three', flow({ steps: ['terms', 'profile', 'password'] }), 'terms', 'Step 1 of 3', ['<li aria-current="step">Terms</li>', '<li>Your profile</li>', '<li>New password</li>']],
    [
      'back on a finished step: the others done are links unless they cannot be repeated',
      flow({ steps: ['password', 'terms', 'profile'], completed: ['password', 'terms', 'profile'] }),
      'terms',
      'Step 2 of 3',
      [
        '<li data-done="true">New password<span class="visually-hidden"> (completed)</span></li>',
        '<li aria-current="step" data-done="true">Terms<span class="visually-hidden"> (completed)</span></li>',
        '<li data-done="true"><a href="/steps/profile">Your profile</a><span class="visually-hidden"> (completed)</span></li>',
      ],
    ],
    [
      'a finished step before the current one',
      flow({ steps: ['terms', 'profile'], completed: ['terms'] }),
      'profile',
      'Step 2 of 2',
      ['<li data-done="true"><a href="/steps/terms">Terms</a><span class="visually-hidden"> (completed)</span></li>', '<li aria-current="step">Your profile</li>'],
    ],
  ])('%s', (_, current, stepId, position, items) => {
    expect(header(current, stepId)).toContain(`<nav aria-label="Progress" class="progress"><p>${position}</p><ol>${items.join('')}</ol></nav>`);
  });

  it('is in the catalogue’s language', () => {
    const html = stepHeaderHtml({ flow: flow({ steps: ['terms', 'profile'] }), stepId: 'terms', messages: loadMessages('de', path.resolve(__dirname, '../..')), revisitable });
    expect(html).toContain('Schritt 1 von 2');
    expect(html).toContain('Anmeldung als a***e@example.com');
  });
});
