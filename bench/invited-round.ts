import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Invitations one request may issue (MAX_INVITATIONS_PER_REQUEST of the vote service). */
const PER_REQUEST = 10_000;

/**
 * An invited plurality round with `count` invitations, their codes written one per line to a
 * file under bench/out/ for the load generator: each code is sent once, as a real voter would.
 */
export async function prepareInvitedRound(
  voteUrl: string,
  label: string,
  count: number,
): Promise<{ roundId: string; codesFile: string }> {
  const post = async (url: string, body: object, token?: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`${url}: ${response.status}`);
    return response.json();
  };
  const round = (await post(`${voteUrl}/rounds`, {
    name: `bench invited ${label}`,
    options: ['A', 'B', 'C'],
    voters: 'invited',
  })) as { round_id: string; admin_token: string };
  const codes: string[] = [];
  for (let issued = 0; issued < count; issued += PER_REQUEST) {
    const batch = (await post(
      `${voteUrl}/rounds/${round.round_id}/invitations`,
      { count: Math.min(PER_REQUEST, count - issued) },
      round.admin_token,
    )) as { invitations: { code: string }[] };
    codes.push(...batch.invitations.map((invitation) => invitation.code));
  }
  const directory = path.join(import.meta.dirname, 'out');
  await mkdir(directory, { recursive: true });
  const codesFile = path.join(directory, `codes-${label}.txt`);
  await writeFile(codesFile, `${codes.join('\n')}\n`);
  return { roundId: round.round_id, codesFile };
}
