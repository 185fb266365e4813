/** Wrong codes a flow may try; the fifth wrong one ends the flow (a new sign-in is needed). */
export const MAX_TRIES = 5;
/** Codes one flow may send, the first included. */
export const MAX_SENDS_PER_FLOW = 3;
/** Codes one person may be sent in an hour across every flow: repeated sign-ins cannot flood their inbox. */
export const MAX_SENDS_PER_USER_PER_HOUR = 10;
/** How long after a send a new code may be asked for. */
export const RESEND_AFTER_SECONDS = 30;
