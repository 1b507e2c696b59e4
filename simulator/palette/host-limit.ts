// The cap on edge host records per lab. Whoever can read a host's /oem (anyone at its console)
// has the registration token, and a loop registering made-up IDs would otherwise create records
// without end. Scenarios have at most 3 hosts; 64 leaves room for a class demo or a learner
// trying things, and keeps every list of hosts (the grid, a checkpoint) small. The same cap holds
// for a registration that would create a record (`registered` or `pending`) and for Add Edge
// Hosts by ID; an ID that already has a record is never refused by it.
import type { Records } from './records';

export const MAX_EDGE_HOSTS = 64;

/** For the page (Clusters > Edge Hosts) and the page API. */
export const HOST_LIMIT_MESSAGE =
  `the lab's Palette has reached its limit of ${MAX_EDGE_HOSTS} edge hosts; delete hosts you no longer need in Clusters > Edge Hosts`;

/** For the host's console (console-safe: one line, no `"` or `\`). */
export const hostLimitConsoleMessage = (hostId: string): string =>
  `Palette did not register host ${hostId}: this lab has reached its limit of ${MAX_EDGE_HOSTS} edge hosts. Delete hosts you no longer need in Clusters > Edge Hosts; the agent tries again every 10 s.`;

/** How many more edge host records the lab may have (0 when at the cap). */
export async function hostRoomLeft(rec: Records): Promise<number> {
  return Math.max(0, MAX_EDGE_HOSTS - (await rec.list('edge-host')).length);
}
