/**
 * The API's shapes, from the schemas the services validate and document them with (a type-only
 * import: nothing of the server reaches the bundle).
 */
import type { Static } from 'typebox';
import type { FullResultSchema, RoundSchema } from '../../../../packages/api/src/schemas.ts';

export type { Voters } from '@voting/domain';

/** A round as every answer describes it, `voters` and `listed` ("who may vote") included. */
export type RoundView = Static<typeof RoundSchema>;
/** With, for an invited round, `eligible` (invitations not revoked) and `voted`. */
export type FullResult = Static<typeof FullResultSchema>;

/**
 * The invitation routes declare their shapes inside services/vote (not in the shared schemas),
 * which the pages cannot import: these follow them (docs/web.md, "Who may vote").
 */

/** One invitation as `POST /rounds/:id/invitations` answers it: the only time its code is seen. */
export interface IssuedInvitation {
  invitation_id: string;
  label: string;
  code: string;
  /** The voting page with `#code=<code>`. */
  url: string;
}

/** One invitation as the organizer's list shows it: never its code, never a ballot. */
export interface InvitationEntry {
  invitation_id: string;
  label: string;
  issued_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export interface InvitationPage {
  invitations: InvitationEntry[];
  next_cursor: string | null;
  eligible: number;
  voted: number;
}
