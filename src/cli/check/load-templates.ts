// What `lookout check` reads: a template file (JSON or YAML), or a cloud assembly directory
// (`cdk.out`) whose manifest lists the stacks, with the construct path of every resource.
// Reads files only: no AWS credentials, no network.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { TEMPLATE_FORMS, type TemplateForm } from '../../checks/index.js';
import { type ParsedTemplate, parseTemplateText } from './parse-template-text.js';

/** One template to check, with what the reports need to point at its resources. */
export interface LoadedTemplate extends ParsedTemplate {
  /** The template file, relative to the working directory when inside it. */
  readonly file: string;
  /** Set when the template comes from a cloud assembly: it was written by the CDK. */
  readonly form?: TemplateForm;
  /** Logical id → construct path (`OrdersApi/OrdersApiFunction/Resource`), for CDK templates. */
  readonly paths: ReadonlyMap<string, string>;
  /**
   * The stack a template is deployed with, for a cloud assembly: the same for a stack and its
   * nested stacks. Undefined for a template file, which is checked on its own.
   */
  readonly deployment?: string;
}

/** A target that cannot be read as a template or a cloud assembly. */
export class TemplateLoadError extends Error {
  override readonly name = 'TemplateLoadError';
}

interface MetadataEntry {
  readonly type?: string;
  readonly data?: unknown;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly directoryName?: string;
    readonly file?: string;
  };
  readonly dependencies?: readonly unknown[];
  readonly metadata?: Readonly<Record<string, readonly MetadataEntry[]>>;
  readonly additionalMetadataFile?: string;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TemplateLoadError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function displayPath(file: string, cwd: string): string {
  const inside = relative(cwd, file);
  return inside.startsWith('..') || inside === '' ? file : inside;
}

function loadFile(
  file: string,
  cwd: string,
  form?: TemplateForm,
  paths = new Map<string, string>(),
  deployment?: string,
): LoadedTemplate {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TemplateLoadError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplateText(text);
  } catch (error) {
    throw new TemplateLoadError(`${displayPath(file, cwd)}: ${(error as Error).message}`);
  }
  // `cdk synth` also writes each resource's construct path into its own metadata.
  for (const [logicalId, resource] of Object.entries(parsed.template.Resources ?? {})) {
    const path = (resource as { Metadata?: Record<string, unknown> } | null)?.Metadata?.['aws:cdk:path'];
    if (typeof path === 'string' && !paths.has(logicalId)) paths.set(logicalId, path);
  }
  return {
    ...parsed,
    file: displayPath(file, cwd),
    ...(form === undefined ? {} : { form }),
    paths,
    ...(deployment === undefined ? {} : { deployment }),
  };
}

/**
 * The nested stack templates of each stack, by file name: a stack's asset manifest (one of its
 * dependencies) lists its nested stacks' templates, at every depth, as file assets.
 */
function nestedTemplateOwners(
  directory: string,
  artifacts: Readonly<Record<string, unknown>>,
): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [id, value] of Object.entries(artifacts)) {
    if (!isObject(value) || value.type !== 'aws:cloudformation:stack') continue;
    for (const dependency of (value as ManifestArtifact).dependencies ?? []) {
      const manifest = typeof dependency === 'string' ? artifacts[dependency] : undefined;
      const file = isObject(manifest) ? (manifest as ManifestArtifact).properties?.file : undefined;
      if (manifest === undefined || (manifest as ManifestArtifact).type !== 'cdk:asset-manifest') continue;
      if (typeof file !== 'string') continue;
      // The asset manifest only groups templates: one that cannot be read groups none.
      let assets: unknown;
      try {
        assets = readJson(join(directory, file));
      } catch {
        continue;
      }
      const files = isObject(assets) && isObject(assets.files) ? Object.values(assets.files) : [];
      for (const asset of files) {
        const source = isObject(asset) && isObject(asset.source) ? asset.source.path : undefined;
        if (typeof source === 'string' && source.endsWith('.nested.template.json'))
          owners.set(source, join(directory, id));
      }
    }
  }
  return owners;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Construct paths by logical id, from a stack artifact's metadata (inline or in its own file). */
function constructPaths(directory: string, artifact: ManifestArtifact): Map<string, string> {
  const metadata: Record<string, unknown> = { ...(isObject(artifact.metadata) ? artifact.metadata : {}) };
  if (typeof artifact.additionalMetadataFile === 'string') {
    const additional = readJson(join(directory, artifact.additionalMetadataFile));
    if (isObject(additional)) Object.assign(metadata, additional);
  }
  const paths = new Map<string, string>();
  // Construct paths only name resources in the report: entries of another shape are skipped.
  for (const [path, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as unknown[]) {
      const { type, data } = (isObject(entry) ? entry : {}) as MetadataEntry;
      if (type === 'aws:cdk:logicalId' && typeof data === 'string') paths.set(data, path.replace(/^\//, ''));
    }
  }
  return paths;
}

function loadAssembly(
  directory: string,
  cwd: string,
  visited = new Set<string>(),
  loaded = new Set<string>(),
): LoadedTemplate[] {
  // A stage naming its own directory, or an ancestor's, would be read forever.
  if (visited.has(directory))
    throw new TemplateLoadError(`${displayPath(directory, cwd)}: the cloud assembly contains itself`);
  // An assembly named by two stages is read once: its stacks are reported once, and a chain of
  // manifests each naming the next one twice cannot make the reading double at every level.
  if (loaded.has(directory)) return [];
  loaded.add(directory);
  visited.add(directory);
  const manifestFile = join(directory, 'manifest.json');
  const manifest = readJson(manifestFile);
  if (!isObject(manifest) || (manifest.artifacts !== undefined && !isObject(manifest.artifacts)))
    throw new TemplateLoadError(
      `${displayPath(manifestFile, cwd)}: not a cloud assembly manifest (expected an object with an artifacts object)`,
    );
  const templates: LoadedTemplate[] = [];
  const artifacts = manifest.artifacts ?? {};
  for (const [id, value] of Object.entries(artifacts)) {
    if (!isObject(value)) continue;
    const artifact = value as ManifestArtifact;
    if (
      artifact.type === 'aws:cloudformation:stack' &&
      typeof artifact.properties?.templateFile === 'string'
    ) {
      templates.push(
        loadFile(
          join(directory, artifact.properties.templateFile),
          cwd,
          TEMPLATE_FORMS.cdk,
          constructPaths(directory, artifact),
          join(directory, id),
        ),
      );
    } else if (
      artifact.type === 'cdk:cloud-assembly' &&
      typeof artifact.properties?.directoryName === 'string'
    ) {
      // A Stage: its stacks are in a nested assembly.
      templates.push(
        ...loadAssembly(join(directory, artifact.properties.directoryName), cwd, visited, loaded),
      );
    }
  }
  // Nested stacks are assets of their parent stack, written next to it, and deployed with it.
  const owners = nestedTemplateOwners(directory, artifacts);
  for (const name of readdirSync(directory)
    .filter((entry) => entry.endsWith('.nested.template.json'))
    .sort())
    templates.push(loadFile(join(directory, name), cwd, TEMPLATE_FORMS.cdk, undefined, owners.get(name)));
  visited.delete(directory);
  return templates;
}

/**
 * The templates a target holds: a template file, or every stack (and nested stack) of a cloud
 * assembly directory such as `cdk.out`.
 *
 * @example
 * loadTemplates('cdk.out', process.cwd()).map((loaded) => loaded.file); // ['cdk.out/OrdersApi.template.json']
 */
export function loadTemplates(target: string, cwd: string): LoadedTemplate[] {
  const path = resolve(cwd, target);
  let directory: boolean;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    throw new TemplateLoadError(`${target}: no such file or directory`);
  }
  if (!directory) return [loadFile(path, cwd)];
  try {
    statSync(join(path, 'manifest.json'));
  } catch {
    throw new TemplateLoadError(
      `${target}: a directory without manifest.json is not a cloud assembly (cdk.out)`,
    );
  }
  const loaded = loadAssembly(path, cwd);
  if (loaded.length === 0) throw new TemplateLoadError(`${target}: the cloud assembly has no stacks`);
  return loaded;
}
