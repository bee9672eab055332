// Sorts what the orders API wrote to stdout into what Lookout produced: log lines, access-log
// lines, audit entries and EMF metric documents.

export function summarizeOutput(text) {
  const summary = {
    logLines: 0,
    accessLogLines: 0,
    errorLines: 0,
    auditEntries: 0,
    emfDocuments: 0,
    metrics: {},
  };
  const audits = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let record;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (record.audit === true) {
      summary.auditEntries++;
      audits.push(record);
    } else if (record._aws !== undefined) {
      summary.emfDocuments++;
      for (const directive of record._aws.CloudWatchMetrics)
        for (const { Name } of directive.Metrics) {
          const value = record[Name];
          const count = Array.isArray(value) ? value.length : Name === 'Latency' ? 1 : value;
          summary.metrics[Name] = (summary.metrics[Name] ?? 0) + count;
        }
    } else if (typeof record.level === 'string') {
      summary.logLines++;
      if (record.message === 'request completed') summary.accessLogLines++;
      if (record.level === 'ERROR') summary.errorLines++;
    }
  }
  return { summary, audits };
}
