/**
 * The reader's role beside the lab's current step: whether the step is theirs,
 * and the words that say so. Solo readers and trainers hold every role.
 */
import { ROLE_NAMES } from '../../../simulator/pure/roles/permissions';
import { roleName } from '../../../simulator/pure/roles/vocabulary';

export interface StepOwnership {
  mine: boolean;
  /** e.g. "Your step (IT/Ops)." or "The Tenant admin's step: you play IT/Ops; their progress shows here." */
  words: string;
}

const bare = roleName;

export function stepOwnership(stepRole: string, myRole: string | null): StepOwnership {
  if (!myRole || myRole === 'solo') return { mine: true, words: '' };
  if (myRole === 'trainer') return { mine: true, words: `${capital(ROLE_NAMES[stepRole] ?? stepRole)}'s step; as the trainer you may do it for them.` };
  if (myRole === stepRole) return { mine: true, words: `Your step: you play ${bare(myRole)}.` };
  return { mine: false, words: `${capital(ROLE_NAMES[stepRole] ?? stepRole)}'s step: you play ${bare(myRole)}. Their progress shows here live.` };
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
