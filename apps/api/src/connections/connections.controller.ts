import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  createClusterConnectionRequestSchema,
  updateClusterConnectionRequestSchema,
} from '@plumbline/contracts';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { authOf, orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { uuidOr404 } from '../common/ids.js';
import { parseBody } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { ConnectionsService, type Actor } from './connections.service.js';

const connectionId = (id: string): string => uuidOr404(id, 'cluster connection');

function actorOf(req: AuthedRequest): Actor {
  return { userId: authOf(req).user.id, ip: req.ip, requestId: req.requestId };
}

/**
 * Agentless scans: cluster API endpoints with a read-only ServiceAccount token, admins only.
 * Tokens and CA data go in, never out. (DELETE is declared last: the tenancy sweep calls the
 * routes in this order with one connection.)
 */
@Controller('v1/orgs/:orgId/cluster-connections')
@UseGuards(SessionGuard, OrgGuard)
@MinRole('admin')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Post()
  @HttpCode(201)
  @Doc({
    tag: 'agentless',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Register a cluster API endpoint with a read-only ServiceAccount token and CA data (stored encrypted, never returned; SSRF-guarded; audited)',
    body: createClusterConnectionRequestSchema,
    status: 201,
  })
  async create(@Req() req: AuthedRequest, @Body() body: unknown) {
    const data = parseBody(createClusterConnectionRequestSchema, body);
    return this.connections.create(orgOf(req).organizationId, actorOf(req), data);
  }

  @Get()
  @Doc({
    tag: 'agentless',
    auth: 'org',
    minRole: 'admin',
    summary: 'Registered cluster connections (no credentials)',
  })
  async list(@Req() req: AuthedRequest) {
    return { items: await this.connections.list(orgOf(req).organizationId) };
  }

  @Get(':connectionId')
  @Doc({
    tag: 'agentless',
    auth: 'org',
    minRole: 'admin',
    summary: 'One cluster connection with its last scan outcome',
  })
  async get(@Req() req: AuthedRequest, @Param('connectionId') id: string) {
    return this.connections.get(orgOf(req).organizationId, connectionId(id));
  }

  @Patch(':connectionId')
  @Doc({
    tag: 'agentless',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Rename, reschedule, enable/disable or rotate the token (a new server needs the token again; audited)',
    body: updateClusterConnectionRequestSchema,
  })
  async update(
    @Req() req: AuthedRequest,
    @Param('connectionId') id: string,
    @Body() body: unknown,
  ) {
    connectionId(id);
    const data = parseBody(updateClusterConnectionRequestSchema, body);
    return this.connections.update(orgOf(req).organizationId, actorOf(req), id, data);
  }

  @Post(':connectionId/scan')
  @HttpCode(202)
  @Doc({
    tag: 'agentless',
    auth: 'org',
    minRole: 'admin',
    summary: 'Scan now (a cluster.scan job; 409 while one is queued or running)',
    status: 202,
  })
  async scan(@Req() req: AuthedRequest, @Param('connectionId') id: string) {
    return this.connections.requestScan(orgOf(req).organizationId, actorOf(req), connectionId(id));
  }

  @Delete(':connectionId')
  @HttpCode(204)
  @Doc({
    tag: 'agentless',
    auth: 'org',
    minRole: 'admin',
    summary: 'Delete a connection and its schedule (audited)',
    status: 204,
  })
  async remove(@Req() req: AuthedRequest, @Param('connectionId') id: string): Promise<void> {
    await this.connections.delete(orgOf(req).organizationId, actorOf(req), connectionId(id));
  }
}
