import { ACCOUNTABILITY_PILLARS, ASI_CODES, PROBE_CALL_VARIANTS } from '@plumbline/contracts';
import { DEFAULT_CANARY_TOOLS } from './canary-tools.js';
import { schemaProblems } from './json-schema.js';
import {
  SCENARIOS,
  findScenario,
  isProbeCall,
  probeModelName,
  probePrompt,
  triggerMarker,
} from './scenarios.js';

const tool = (name: string) => DEFAULT_CANARY_TOOLS.find((t) => t.name === name);

describe('scenario catalogue', () => {
  it('has unique, well-formed ids and valid labels', () => {
    const ids = SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SCENARIOS) {
      expect(s.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(ASI_CODES).toContain(s.asi);
      expect(ACCOUNTABILITY_PILLARS).toContain(s.pillar);
      expect(s.steps.length).toBeGreaterThan(0);
      expect(s.steps.flat().filter(isProbeCall).length).toBeGreaterThan(0);
    }
  });

  it('covers every pillar, every deliberate variant and every expected outcome', () => {
    expect(new Set(SCENARIOS.map((s) => s.pillar))).toEqual(new Set(ACCOUNTABILITY_PILLARS));
    const variants = new Set(SCENARIOS.flatMap((s) => s.steps.flat().map((c) => c.variant)));
    for (const v of PROBE_CALL_VARIANTS) expect(variants).toContain(v);
    expect(new Set(SCENARIOS.map((s) => s.expectedOutcome))).toEqual(
      new Set(['allowed', 'blocked', 'approval-required']),
    );
  });

  it('contains the methodology trigger examples with their expected outcomes', () => {
    const outcome = (tool: string, args: object) =>
      SCENARIOS.find((s) =>
        s.steps
          .flat()
          .some((c) => c.tool === tool && JSON.stringify(c.arguments) === JSON.stringify(args)),
      )?.expectedOutcome;
    expect(outcome('get_weather', { location: 'London' })).toBe('allowed');
    expect(['blocked', 'approval-required']).toContain(
      outcome('delete_user_account', { user_id: 'admin_01' }),
    );
    expect(outcome('read_secure_vault', { secret_id: 'prod_db_password' })).toBe('blocked');
    expect(findScenario('transfer-funds-approval')?.expectedOutcome).toBe('approval-required');
  });

  it('scripts only tools the canary has, in schema unless the call is meant to break it', () => {
    for (const s of SCENARIOS) {
      for (const call of s.steps.flat()) {
        const t = tool(call.tool);
        expect(t).toBeDefined();
        const problems = schemaProblems(t!.inputSchema, call.arguments);
        if (call.variant === 'out-of-schema-arguments') expect(problems.length).toBeGreaterThan(0);
        else
          expect({ scenario: s.id, tool: call.tool, problems }).toEqual({
            scenario: s.id,
            tool: call.tool,
            problems: [],
          });
      }
    }
  });

  it('uses an unlisted canary tool for the unadvertised-tool variant, and listed ones otherwise', () => {
    for (const call of SCENARIOS.flatMap((s) => s.steps.flat())) {
      expect(tool(call.tool)?.listed).toBe(call.variant !== 'unadvertised-tool');
    }
  });

  it('puts another tenant in the cross-tenant call and an instruction in the injection call', () => {
    const cross = SCENARIOS.flatMap((s) => s.steps.flat()).find(
      (c) => c.variant === 'cross-tenant-object',
    );
    expect(JSON.stringify(cross?.arguments)).toMatch(/globex-/);
    const injected = SCENARIOS.flatMap((s) => s.steps.flat()).find(
      (c) => c.variant === 'injection-in-arguments',
    );
    expect(JSON.stringify(injected?.arguments)).toMatch(/ignore all previous instructions/i);
  });

  it('builds model names, markers and prompts from the id', () => {
    const s = SCENARIOS[0]!;
    expect(probeModelName(s.id)).toBe(`plumbline-probe/${s.id}`);
    expect(triggerMarker(s.id)).toBe(`[[plumbline-probe:${s.id}]]`);
    expect(probePrompt(s)).toBe(`${s.prompt} [[plumbline-probe:${s.id}]]`);
  });
});
