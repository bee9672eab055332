// A finding with where it is: the template file, the line of the resource, and the construct
// path for CDK templates.
import { type Finding, TEMPLATE_SCOPE } from '../../checks/index.js';
import type { LoadedTemplate } from './load-templates.js';

export interface LocatedFinding extends Finding {
  readonly file: string;
  /** 1-based line of the resource's logical id, when the file has it. */
  readonly line?: number;
  /** The construct path for CDK templates, else the logical id. */
  readonly resourcePath: string;
}

/** Places a template's findings in its file. */
export function locate(loaded: LoadedTemplate, findings: readonly Finding[]): LocatedFinding[] {
  return findings.map((finding) => {
    const line = loaded.lines.get(finding.writtenAt ?? finding.logicalId);
    const resourcePath =
      finding.logicalId === TEMPLATE_SCOPE
        ? TEMPLATE_SCOPE
        : (loaded.paths.get(finding.logicalId) ?? finding.logicalId);
    return { ...finding, file: loaded.file, resourcePath, ...(line === undefined ? {} : { line }) };
  });
}
