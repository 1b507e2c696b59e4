// The OS layer's `system.uri`: which provider image a host boots into once it joins a cluster
// (reference §3, §6). It is either a plain image reference or the BYOS pack's template form,
// whose `{{ … }}` parts come from the OS layer's own `system.*` values and from the version of
// the Kubernetes layer. The resolved reference must name an image in the lab registry that was
// built for the profile's distribution, Kubernetes version and OS.
import { didYouMean } from '../user-data/did-you-mean';
import {
  BYOS_PACK, findProviderImage, PROVIDER_IMAGES, type K8sPack, type ProviderImage,
} from './catalog';
import { error, oneOf, warning, type PaletteIssue } from './issues';

export const URI_KEY = 'system.uri';
/** `system.uri: NA`: the profile names no provider image (allowed only where the caller says so). */
export const NO_PROVIDER_IMAGE = 'NA';

const opt = (key: string): string => `{{ .spectro.pack.${BYOS_PACK}.options.system.${key} }}`;
export const K8S_VERSION_MACRO = '{{ .spectro.system.kubernetes.version }}';

/** The BYOS pack's default `system.uri`. */
export const DEFAULT_URI_TEMPLATE =
  `${opt('registry')}/${opt('repo')}:${opt('k8sDistribution')}-${K8S_VERSION_MACRO}-${opt('peVersion')}-${opt('customTag')}`;

/** `fillable`: the part only lacks a value (it may be given later); otherwise it can never resolve. */
export type UriResolution = { ok: true; uri: string } | { ok: false; placeholder: string; message: string; hint: string; fillable: boolean };

const OPTION = new RegExp(`^\\.spectro\\.pack\\.${BYOS_PACK}\\.options\\.(.+)$`);

/** Replaces every `{{ … }}` in `uri`; the first part that cannot be resolved stops it. */
export function resolveSystemUri(uri: string, values: Readonly<Record<string, string>>, k8sVersion: string | undefined): UriResolution {
  let failure: UriResolution | undefined;
  const out = uri.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole, expr: string) => {
    if (failure) return whole;
    const placeholder = `{{ ${expr} }}`;
    if (expr === '.spectro.system.kubernetes.version') {
      if (k8sVersion) return k8sVersion;
      failure = { ok: false, placeholder, message: `\`${placeholder}\` has no value: the profile has no Kubernetes layer`, hint: 'add a Kubernetes layer with a version', fillable: false };
      return whole;
    }
    const key = OPTION.exec(expr)?.[1];
    if (key === undefined || key === URI_KEY) {
      failure = {
        ok: false, placeholder, message: `\`${placeholder}\` is not a value the profile can fill in`,
        hint: `use \`.spectro.pack.${BYOS_PACK}.options.system.<key>\` or \`.spectro.system.kubernetes.version\`, or write the image reference itself`,
        fillable: false,
      };
      return whole;
    }
    const value = values[key];
    if (value !== undefined && value.trim() !== '' && !value.includes('{{')) return value.trim();
    failure = { ok: false, placeholder, message: `\`${placeholder}\` has no value: \`${key}\` is not set in the OS layer`, hint: `set \`${key}\` in the OS layer's values`, fillable: true };
    return whole;
  });
  if (failure) return failure;
  if (/[{}]/.test(out)) {
    return { ok: false, placeholder: out, message: `\`${uri}\` has an unbalanced \`{{\` or \`}}\``, hint: 'close every `{{` with `}}`', fillable: false };
  }
  return { ok: true, uri: out };
}

const IMAGE_REF = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export interface ProviderImageCheck {
  issues: PaletteIssue[];
  /** The image the profile resolves to, when it exists in the lab registry. */
  image?: ProviderImage;
}

const imagesFor = (k8s: K8sPack | undefined, version: string | undefined): ProviderImage[] =>
  PROVIDER_IMAGES.filter((i) => !k8s || (i.k8sDistribution === k8s.distribution && (!version || i.k8sVersion === version)));

/**
 * Checks the OS layer's `system.uri` against the lab registry and the Kubernetes layer.
 * `path` is the OS layer's path (`layers[0]`). `layer` is the Kubernetes layer's pack (when it is
 * in the catalog) and version (as written); the image is matched only when both are known.
 */
export function checkProviderImage(
  path: string,
  values: Readonly<Record<string, string>>,
  layer: { pack?: K8sPack | undefined; version?: string | undefined },
  opts: { allowNoProviderImage?: boolean; requireProviderImage?: boolean } = {},
): ProviderImageCheck {
  // Modelling may use a placeholder or an image not built yet (the guide says so); a cluster
  // created from the profile needs the image to resolve and exist (requireProviderImage).
  const notYet = (code: string, message: string, hint: string): PaletteIssue => (opts.requireProviderImage
    ? error(at, code, message, hint)
    : warning(at, code, `${message}; fine while modelling, but it must resolve to an image in the lab registry by the time a cluster is created from the profile`, hint));
  const at = `${path}.values.${URI_KEY}`;
  const k8s = layer.pack && layer.version && layer.pack.versions.includes(layer.version) ? { pack: layer.pack, version: layer.version } : undefined;
  const raw = values[URI_KEY]?.trim() ?? '';
  const example = imagesFor(k8s?.pack, k8s?.version)[0] ?? PROVIDER_IMAGES[0]!;
  if (raw === '') {
    return { issues: [error(at, 'provider-image-missing', 'the OS layer names no provider image', `set \`${URI_KEY}\` to a provider image in the lab registry, e.g. \`${example.name}\``)] };
  }
  if (raw === NO_PROVIDER_IMAGE) {
    if (opts.allowNoProviderImage) return { issues: [] };
    return { issues: [error(at, 'provider-image-na', '`NA` is not allowed here: hosts need a provider image to boot into', `set \`${URI_KEY}\` to a provider image, e.g. \`${example.name}\``)] };
  }
  const resolved = resolveSystemUri(raw, values, layer.version);
  if (!resolved.ok) return { issues: [(resolved.fillable ? notYet : (c: string, m: string, h: string) => error(at, c, m, h))('uri-template-unresolved', resolved.message, resolved.hint)] };
  const uri = resolved.uri;
  const shown = uri === raw ? `\`${uri}\`` : `\`${uri}\` (resolved from the template)`;
  if (!IMAGE_REF.test(uri)) {
    return { issues: [error(at, 'provider-image-invalid', `${shown} is not an image reference`, `write \`<registry>/<repository>:<tag>\`, e.g. \`${example.name}\``)] };
  }
  const image = findProviderImage(uri);
  if (!image) {
    const close = didYouMean(uri, PROVIDER_IMAGES.map((i) => i.name));
    const hint = close
      ? `did you mean \`${close}\`?`
      : `use an image the lab registry has${k8s ? ` for ${k8s.pack.displayName} ${k8s.version}` : ''}, e.g. \`${example.name}\`, or build and push this one first`;
    return { issues: [notYet('provider-image-unknown', `${shown} does not exist in the lab registry`, hint)] };
  }
  return { issues: k8s ? matchImage(path, at, image, values, k8s) : [], image };
}

function matchImage(path: string, at: string, image: ProviderImage, values: Readonly<Record<string, string>>, k8s: { pack: K8sPack; version: string }): PaletteIssue[] {
  const issues: PaletteIssue[] = [];
  const { pack, version } = k8s;
  const fitting = imagesFor(pack, version)[0];
  const instead = fitting ? `use \`${fitting.name}\`` : `build a provider image for ${pack.displayName} ${version}`;
  if (image.k8sDistribution !== pack.distribution) {
    issues.push(error(at, 'provider-image-distribution',
      `the provider image is built for \`${image.k8sDistribution}\`, but the Kubernetes layer is ${pack.displayName} (\`${pack.distribution}\`)`,
      `${instead}, or change the Kubernetes layer to match the image`));
  } else if (image.k8sVersion !== version) {
    issues.push(error(at, 'provider-image-k8s-version',
      `the provider image carries Kubernetes ${image.k8sVersion}, but the Kubernetes layer is version ${version}`,
      `${instead}, or set the Kubernetes layer's version to ${image.k8sVersion}`));
  }
  const osName = values['system.osName']?.trim();
  if (osName && !(pack.osNames as readonly string[]).includes(osName)) {
    issues.push(error(`${path}.values.system.osName`, 'os-unsupported',
      `${pack.displayName} runs on ${oneOf(pack.osNames)} only, not on \`${osName}\``,
      `build the provider image on ${oneOf(pack.osNames)} and set \`system.osName\` to match, or choose another Kubernetes distribution`));
  } else if (osName && osName !== image.os.name) {
    issues.push(error(`${path}.values.system.osName`, 'provider-image-os',
      `\`system.osName\` says \`${osName}\`, but the provider image is built on \`${image.os.name}\``,
      `set \`system.osName: ${image.os.name}\`, or pick an image built on ${osName}`));
  }
  return issues;
}
