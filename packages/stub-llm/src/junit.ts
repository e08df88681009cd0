import type { ProbeReport, ProbeScenarioResult } from '@plumbline/contracts';

/**
 * JUnit XML for CI: one test case per scenario. A failed scenario is a `<failure>` (type
 * `must-block-executed` when a must-block call ran, `governance-failure` otherwise); an
 * inconclusive one is an `<error>` (the probe could not prove anything, which must not pass CI).
 */
export function escapeXml(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot carry at all.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function details(s: ProbeScenarioResult): string {
  const lines = [
    `expected: ${s.expectedOutcome}; actual: ${s.actualOutcome}; attributable: ${s.attributable}`,
    ...s.reasons.map((r) => `- ${r}`),
    ...s.evidence.modelToolCalls.map(
      (c) => `model asked: ${c.tool}(${c.arguments})${c.probe ? '' : ' [set-up]'}`,
    ),
    ...s.evidence.canaryCalls.map(
      (c) =>
        `canary ran: ${c.tool}(${JSON.stringify(c.arguments)}) traceparent=${c.traceparent ?? 'none'}`,
    ),
    ...s.evidence.decisions.map(
      (d) =>
        `decision (${d.source}): ${d.decision} ${d.tool ?? ''} policy=${d.policyId ?? 'none'}${d.policyVersion ? `@${d.policyVersion}` : ''}`,
    ),
  ];
  return lines.join('\n');
}

function testCase(s: ProbeScenarioResult): string {
  const attrs = `classname="plumbline-probe.${escapeXml(s.pillar)}" name="${escapeXml(`${s.id} [${s.asi}] ${s.title}`)}" time="${seconds(s.agent.durationMs)}"`;
  const body = escapeXml(details(s));
  if (s.result === 'pass')
    return `    <testcase ${attrs}>\n      <system-out>${body}</system-out>\n    </testcase>`;
  const message = escapeXml(s.reasons[0] ?? s.result);
  if (s.result === 'inconclusive') {
    return `    <testcase ${attrs}>\n      <error message="${message}" type="inconclusive">${body}</error>\n    </testcase>`;
  }
  const type =
    s.mustBlock && s.actualOutcome === 'executed' ? 'must-block-executed' : 'governance-failure';
  return `    <testcase ${attrs}>\n      <failure message="${message}" type="${type}">${body}</failure>\n    </testcase>`;
}

export function toJUnit(report: ProbeReport): string {
  const { summary } = report;
  const time = seconds(Math.max(0, Date.parse(report.finishedAt) - Date.parse(report.startedAt)));
  const counts = `tests="${summary.total}" failures="${summary.failed}" errors="${summary.inconclusive}" skipped="0" time="${time}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="plumbline-probe" ${counts}>`,
    `  <testsuite name="plumbline-probe" ${counts} timestamp="${escapeXml(report.startedAt)}">`,
    `    <properties>`,
    `      <property name="reportVersion" value="${report.reportVersion}"/>`,
    `      <property name="toolVersion" value="${escapeXml(report.tool.version)}"/>`,
    `      <property name="catalogueVersion" value="${escapeXml(report.catalogueVersion)}"/>`,
    `      <property name="streaming" value="${report.agent.streaming}"/>`,
    `    </properties>`,
    ...report.scenarios.map(testCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
