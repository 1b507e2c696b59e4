// Names Palette shows as typed: projects and registration tokens, and the edge host IDs an admin
// pastes into "Add Edge Hosts". Profiles and clusters use checkName (names.ts) instead.
//
// Lab decision: the docs give no rule for project and token names, and the product's default
// project is `Default`, so these may use capital letters: 1–63 letters, digits, `-` and `_`,
// starting with a letter and ending with a letter or digit. Host IDs follow the agent's rules
// (../host-id.ts).
import { findForbiddenHostIdChar, HOST_ID_MAX_LENGTH } from '../host-id';
import { error, type PaletteIssue } from './issues';
import { NAME_MAX_LENGTH } from './names';

const DISPLAY_NAME = /^[A-Za-z]([A-Za-z0-9_-]*[A-Za-z0-9])?$/;

/** `what` is e.g. `project` or `token`; the issue sits at `path`. */
export function checkDisplayName(raw: string, path: string, what: string): PaletteIssue[] {
  const example = raw.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z]+/, '').replace(/[-_]+$/, '').slice(0, NAME_MAX_LENGTH) || 'Retail-East';
  if (raw.trim() === '') return [error(path, 'name-invalid', `the ${what} has no name`, `give it a name, e.g. \`${example}\``)];
  if (raw.length > NAME_MAX_LENGTH) {
    return [error(path, 'name-invalid', `the ${what} name is ${raw.length} characters long; the limit is ${NAME_MAX_LENGTH}`, `shorten it, e.g. \`${example.slice(0, NAME_MAX_LENGTH)}\``)];
  }
  if (DISPLAY_NAME.test(raw)) return [];
  const bad = /[^A-Za-z0-9_-]/.exec(raw)?.[0];
  const why = bad !== undefined ? `contains ${bad === ' ' ? 'a space' : `\`${bad}\``}`
    : !/^[A-Za-z]/.test(raw) ? 'does not start with a letter' : 'ends with `-` or `_`';
  return [error(path, 'name-invalid', `the ${what} name \`${raw}\` ${why}; use letters, digits, \`-\` and \`_\`, starting with a letter`, `rename it, e.g. \`${example}\``)];
}

/** An edge host ID as typed into "Add Edge Hosts". */
export function checkHostId(raw: string, path: string): PaletteIssue[] {
  if (raw === '') return [error(path, 'host-id-invalid', 'the host ID is empty', 'paste the ID the host prints on its console as `MachineID: …`')];
  if (raw.length > HOST_ID_MAX_LENGTH) {
    return [error(path, 'host-id-invalid', `the host ID is ${raw.length} characters long; host IDs have at most ${HOST_ID_MAX_LENGTH}`, 'paste the ID exactly as the host prints it')];
  }
  const bad = findForbiddenHostIdChar(raw);
  if (bad === undefined) return [];
  return [error(path, 'host-id-invalid', `the host ID \`${raw}\` contains ${/\s/.test(bad) ? 'whitespace' : `\`${bad}\``}, which no host ID has`, 'paste the ID exactly as the host prints it as `MachineID: …`')];
}

/** Tag keys are non-empty and without `=` or `,`; values without `,` (the agent's `k=v,k2=v2` form). */
export function checkTags(tags: Readonly<Record<string, string>>, path: string): PaletteIssue[] {
  return Object.entries(tags).flatMap(([k, v]) => {
    if (k.trim() === '' || /[=,\s]/.test(k)) return [error(`${path}.${k}`, 'tag-invalid', `the tag key \`${k}\` is empty or contains \`=\`, \`,\` or whitespace`, 'use keys such as `region` or `store-id`')];
    if (v.includes(',')) return [error(`${path}.${k}`, 'tag-invalid', `the value of tag \`${k}\` contains \`,\``, 'remove the comma')];
    return [];
  });
}
