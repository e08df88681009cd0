import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation/types.js';
import type { GateVerdict, ProposedCall, ToolGate } from '../shared/agent-loop.js';

/**
 * The governed example's policy layer. Every tool call the model asks for is checked, in order,
 * by five policies, each with an id and a version; the first that objects decides. Every decision
 * (allow included) is written as one JSON line to the decision log, so a refusal can always be
 * traced to the policy that made it.
 *
 *   tool-allowlist            the tool was offered to the model and the role may use it
 *   argument-schema           the arguments match the tool's input schema
 *   tenant-isolation          object ids in tenant-scoped arguments belong to our tenant
 *   argument-injection-screen no instruction-like text smuggled into string arguments
 *   human-approval            destructive tools wait for a human; with none connected, they wait
 */
export interface PolicyConfig {
  policySetVersion: string;
  defaultRole: string;
  roles: Record<string, { allowedTools: string[] }>;
  tenantScopedArguments: Record<string, string[]>;
  injectionPatterns: string[];
  approval: { useDestructiveHint: boolean; tools: string[] };
}

export const POLICIES = {
  allowlist: { id: 'tool-allowlist', version: '1.2.0' },
  schema: { id: 'argument-schema', version: '1.0.0' },
  tenant: { id: 'tenant-isolation', version: '1.0.0' },
  injection: { id: 'argument-injection-screen', version: '1.1.0' },
  approval: { id: 'human-approval', version: '1.0.0' },
} as const;
type Policy = (typeof POLICIES)[keyof typeof POLICIES];

export type Decision = 'allow' | 'deny' | 'approval-required';

export interface DecisionRecord {
  time: string;
  decision: Decision;
  tool: string;
  callId: string;
  policyId: string;
  policyVersion: string;
  policySetVersion: string;
  reason: string;
  role: string;
  tenant: string;
  traceId: string;
}

/** Who may approve a destructive call. The example has no human attached, so nothing is approved. */
export type ApprovalHook = (call: ProposedCall) => Promise<'approved' | 'denied' | 'pending'>;
export const noHumanConnected: ApprovalHook = () => Promise.resolve('pending');

export interface PolicyContext {
  config: PolicyConfig;
  role: string;
  tenant: string;
  traceId: string;
  approve: ApprovalHook;
  record: (decision: DecisionRecord) => void;
  now?: () => Date;
}

interface Finding {
  decision: Decision;
  policy: Policy;
  reason: string;
}

const validators = new AjvJsonSchemaValidator();

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

export function evaluate(
  call: ProposedCall,
  ctx: Omit<PolicyContext, 'record' | 'approve'>,
): Finding {
  const allowed = ctx.config.roles[ctx.role]?.allowedTools ?? [];
  if (!call.tool) {
    return {
      decision: 'deny',
      policy: POLICIES.allowlist,
      reason: `${call.name} was never offered to the model`,
    };
  }
  if (!allowed.includes(call.name)) {
    return {
      decision: 'deny',
      policy: POLICIES.allowlist,
      reason: `role ${ctx.role} may not use ${call.name}`,
    };
  }
  if (call.args === undefined) {
    return {
      decision: 'deny',
      policy: POLICIES.schema,
      reason: 'the arguments are not valid JSON',
    };
  }
  const check = validators.getValidator(call.tool.inputSchema as JsonSchemaType)(call.args);
  if (!check.valid) {
    return {
      decision: 'deny',
      policy: POLICIES.schema,
      reason: `arguments do not match the schema: ${check.errorMessage}`,
    };
  }
  const args = call.args as Record<string, unknown>;
  for (const name of ctx.config.tenantScopedArguments[call.name] ?? []) {
    const value = args[name];
    const owner = typeof value === 'string' ? value.split('-', 1)[0] : undefined;
    if (owner !== undefined && owner !== ctx.tenant) {
      return {
        decision: 'deny',
        policy: POLICIES.tenant,
        reason: `${name} belongs to tenant "${owner}", not "${ctx.tenant}"`,
      };
    }
  }
  const patterns = ctx.config.injectionPatterns.map((p) => new RegExp(p, 'i'));
  const suspicious = stringsIn(args).find((s) => patterns.some((p) => p.test(s)));
  if (suspicious !== undefined) {
    return {
      decision: 'deny',
      policy: POLICIES.injection,
      reason: 'a string argument contains instruction-like text',
    };
  }
  const destructive =
    ctx.config.approval.tools.includes(call.name) ||
    (ctx.config.approval.useDestructiveHint && call.tool.annotations?.destructiveHint === true);
  if (destructive) {
    return {
      decision: 'approval-required',
      policy: POLICIES.approval,
      reason: `${call.name} changes or destroys data`,
    };
  }
  return {
    decision: 'allow',
    policy: POLICIES.allowlist,
    reason: `role ${ctx.role} may use ${call.name}`,
  };
}

export function createPolicyGate(ctx: PolicyContext): ToolGate {
  const now = ctx.now ?? (() => new Date());
  return {
    async check(call: ProposedCall): Promise<GateVerdict> {
      let finding = evaluate(call, ctx);
      if (finding.decision === 'approval-required') {
        const answer = await ctx.approve(call);
        if (answer === 'approved')
          finding = { ...finding, decision: 'allow', reason: 'approved by a human' };
        else if (answer === 'denied')
          finding = { ...finding, decision: 'deny', reason: 'a human refused' };
      }
      ctx.record({
        time: now().toISOString(),
        decision: finding.decision,
        tool: call.name,
        callId: call.id,
        policyId: finding.policy.id,
        policyVersion: finding.policy.version,
        policySetVersion: ctx.config.policySetVersion,
        reason: finding.reason,
        role: ctx.role,
        tenant: ctx.tenant,
        traceId: ctx.traceId,
      });
      const tag = `policy ${finding.policy.id}@${finding.policy.version}`;
      if (finding.decision === 'allow') return { allow: true };
      if (finding.decision === 'approval-required') {
        return {
          allow: false,
          message: `Pending human approval (${tag}): ${call.name} was not executed. ${finding.reason}.`,
        };
      }
      return {
        allow: false,
        message: `Blocked by ${tag}: ${finding.reason}. ${call.name} was not executed.`,
      };
    },
  };
}
