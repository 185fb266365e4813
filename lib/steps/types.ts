import type { ReactElement } from 'react';
import type { z } from 'zod';
import type { ManagementApi } from '../auth0';
import type { DetourConfig } from '../config';
import type { ErrorCode } from '../errors';
import type { FlowState } from '../flow/flow-state';
import type { StepActionState } from '../flow/step-action-state';
import type { Translate } from '../i18n/catalogue';
import type { ConsentLedger, Stores } from '../store';
import type { StepsFile } from '../config/steps-file';

export interface StepContext {
  flow: FlowState;
  config: DetourConfig;
  managementApi: ManagementApi;
  consentLedger: ConsentLedger;
  stores: Stores;
  request: { clientIp: string | null; userAgent: string | null };
  now: Date;
}

/** What a step's form schema may depend on: the steps file and what the token said about this person. */
export interface FormSchemaContext {
  flow: FlowState;
  config: DetourConfig;
}

/** What a step's view is given to render its page (inside <main>, under the step header). */
export interface StepViewProps {
  /** Null when a post came without a flow this deployment can open: the form is shown again with its refusal. */
  flow: FlowState | null;
  config: DetourConfig;
  t: Translate;
  locale: string;
  /** IDLE_STATE for a GET; the refusal (errors, the values as posted, secrets left out) for a refused post. */
  state: StepActionState;
  /** What the step recorded the last time it was submitted (back on a finished step), to prefill the form. */
  previous: unknown;
  /** What the step's `prepare` found or did when the page was asked for (undefined for a step without one). */
  prepared?: unknown;
  now: Date;
}

/**
 * A step is one folder under lib/steps/ and one line in lib/steps/registry.ts (docs/design.md "Adding a step"). It
 * declares everything the generic routes (lib/web/step-route.ts) and the flow need: its form schema, what it
 * writes, how its page looks, which fields are secret, whether it can be revisited, and the files it ships to the
 * browser. `persist` returns the claim the return token carries for this step; the claim is kept in the flow cookie
 * until /complete, so it must stay small and never hold a secret.
 */
export interface StepDefinition<Schema extends z.ZodType = z.ZodType> {
  id: string;
  /**
   * Whether a person may go back to this step after finishing it and submit it again (default true). A step whose
   * write cannot be taken back or repeated harmlessly (a password change) says false.
   */
  revisitable?: boolean;
  /** Form fields that are never echoed back into a refused form, never kept and never logged (a password). */
  secretFields?: readonly string[];
  /** The catalogue key of the page's title (and its <h1>). Its messages live in `messages/<locale>/<id>.json`. */
  titleKey: string;
  /**
   * The session-token claims this step reads, each optional (the Action sends them when the step is asked for):
   * the token's schema is assembled from every step's, and the flow keeps what the token carried in `claims`
   * (read them back with `readClaims`, lib/steps/step-claims.ts). Names are shared by all steps: two steps that
   * declare one name must declare the same schema.
   */
  tokenClaims?: z.ZodRawShape;
  /** Its section of the steps file, under its id. */
  settings?: StepSettings;
  /** What GET /api/requirements tells the Action about this step, under its id (public: the same for everyone). */
  requirements?(steps: StepsFile, now: Date): unknown;
  formSchema(context: FormSchemaContext): Schema;
  persist(context: StepContext, input: z.output<Schema>): Promise<StepOutcome>;
  /**
   * Work done each time the page is rendered for a flow (a GET, or the form shown again after a post), before the
   * view: its result reaches the view as `prepared`. It must be safe to repeat (the verify step sends the flow's
   * first code here, once). A thrown DetourError is the page's refusal, as for any route.
   */
  prepare?(context: StepContext): Promise<unknown>;
  /** The page: server-rendered, a plain form post to `/steps/<id>`, complete without JavaScript. */
  View(props: StepViewProps): ReactElement;
  /**
   * What the step ships to the browser, built from its folder by scripts/build-assets.mts: `enhance.ts` as the
   * module script `/assets/<id>.js`, `styles.css` as `/assets/<id>.css`. A page ships no script unless it says so.
   */
  assets?: { script?: boolean; stylesheet?: boolean };
  /**
   * Called at the hand-back, before the return token is signed: a URL to send the browser to instead of Auth0's
   * /continue, or null (the password step follows a Rule's `authorize_again` here).
   */
  handBackRedirect?(flow: FlowState, config: DetourConfig): string | null;
}

export interface StepOutcome {
  /** The step's claim in the return token (omitted when the step produced no data). */
  claim?: Record<string, unknown>;
  /** True when the Action must write this step's data itself (`persist: "action"`). */
  writtenByAction?: boolean;
  /**
   * The step is not done and the page is shown again with this sentence (a catalogue key; a new code was sent):
   * the flow does not move.
   */
  stay?: { messageKey: string; params?: Record<string, string | number> };
  /**
   * The flow ends here without finishing the step (the person says the sign-in was not theirs, or used up their
   * tries): the flow cookie is forgotten and a page with this heading and sentence says what to do. `code` names
   * why in the log and metrics; `status` is the page's HTTP status (default 200).
   */
  end?: { code: ErrorCode; titleKey: string; bodyKey: string; status?: number };
}

export interface StepSettings {
  schema: z.ZodType;
  /** Whether every steps file must have this section (the terms step's: every deployment has terms). */
  required?: boolean;
  /**
   * Checks the schema cannot make (a file it names must exist, a setting the step needs from the environment): one
   * sentence per problem, none when all is well.
   */
  check?(section: unknown, context: { root: string; defaultLocale: string; env: Record<string, string | undefined> }): string[];
}
