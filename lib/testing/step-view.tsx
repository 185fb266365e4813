import type { ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server.edge';
import type { DetourConfig } from '../config';
import type { FlowState } from '../flow/flow-state';
import { IDLE_STATE, type StepActionState } from '../flow/step-action-state';
import { translatorFor } from '../i18n/catalogue';
import type { StepViewProps } from '../steps/types';

export interface StepViewInput {
  state?: StepActionState;
  previous?: unknown;
  /** Null: a post without a flow this deployment can open. Absent: the test's own default flow. */
  flow?: FlowState | null;
  locale?: string;
  config?: DetourConfig;
  /** What the step's `prepare` handed the page. */
  prepared?: unknown;
}

/**
 * A step's view as the generic route renders it (lib/web/step-route.tsx), to static markup with the real translator:
 * `defaults` give the flow, config and clock a test file uses unless a case says otherwise.
 */
export function stepViewRenderer(View: ComponentType<StepViewProps>, defaults: { flow: (locale: string) => FlowState; config: DetourConfig; now?: Date }) {
  return (input: StepViewInput = {}): string => {
    const locale = input.locale ?? 'en';
    return renderToStaticMarkup(
      <View
        flow={input.flow === undefined ? defaults.flow(locale) : input.flow}
        config={input.config ?? defaults.config}
        t={translatorFor(locale)}
        locale={locale}
        state={input.state ?? IDLE_STATE}
        previous={input.previous}
        prepared={input.prepared}
        now={defaults.now ?? new Date()}
      />,
    );
  };
}

/** A refused submission's state, with a fixed request id (the support reference the page shows). */
export const refusedState = (state: Partial<StepActionState>): StepActionState => ({ status: 'error', requestId: '5f0c6b8e-0000-4000-8000-000000000001', values: {}, ...state });
