/**
 * The hosts' handoff as the hosts part shows it: who holds the hosts now (the lab
 * chart's custody, carried in the view), and whether this session gets the
 * "Hand over to the site" button. The button is offered only when the lab is at
 * the handoff step and the view says this session may send HAND_OFF (`may`, which
 * the server narrowed to the session's role). A reader whose role may not is told
 * who holds the hosts and who hands them over. Pure.
 */
import { HANDOFF_STEP_PATH } from '../../../simulator/pure/machines/lab.steps';
import { labCustody, type HostCustodian, type LabView } from '../../../simulator/pure/protocol';
import { roleName } from '../../../simulator/pure/roles/vocabulary';

/** The button's name; the browser tests find it by this name. */
export const HAND_OFF_BUTTON = 'Hand over to the site';

export interface HandoffOffer {
  custody: HostCustodian;
  /** Who holds the hosts and where, e.g. "The hosts are with IT/Ops on the staging bench." */
  words: string;
  /** The lab is at the handoff step. */
  atHandoff: boolean;
  /** Offer the button: at the step, allowed by the view, and the role may. */
  canHandOff: boolean;
  /** At the step, for a role that may not hand over: who does it. Null otherwise. */
  waiting: string | null;
}

const bare = roleName;

function holderWords(custody: HostCustodian, handedOver: boolean): string {
  if (custody === 'it-ops') return 'The hosts are with IT/Ops on the staging bench.';
  return handedOver ? 'The hosts are with the Site technician at the site: IT/Ops handed them over.' : 'The hosts are with the Site technician at the site.';
}

/** What the hosts part says about custody for `view`, or null when the view carries none. `myRole` null reads as solo. */
export function handoffOffer(view: LabView, myRole: string | null): HandoffOffer | null {
  const custody = labCustody(view);
  if (!custody) return null;
  const atHandoff = view.data.step?.path === HANDOFF_STEP_PATH;
  const role = myRole ?? 'solo';
  const mayHandOff = view.may.includes('HAND_OFF');
  return {
    custody: custody.custody,
    words: holderWords(custody.custody, custody.handoffs.length > 0),
    atHandoff,
    canHandOff: atHandoff && mayHandOff,
    waiting: atHandoff && !mayHandOff && view.allowed.includes('HAND_OFF') ? `IT/Ops hands them over to the site next; you play ${bare(role)}.` : null,
  };
}
