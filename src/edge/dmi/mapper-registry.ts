// The registered mappers, one per protocol (KubeEdge keys its DMI clients by protocol). A mapper that
// registers again, under the same name or for the same protocol, replaces the old registration, whose
// client is closed so its calls in flight end at once.
import type { ServiceDefinition } from '@grpc/grpc-js';
import { MapperClient, type MapperIdentity } from './mapper-client.js';
import type { MapperView } from './types.js';

export class MapperRegistry {
  private readonly byProtocol = new Map<string, MapperClient>();

  constructor(private readonly service: ServiceDefinition, private readonly deadlineMs: number) {}

  /** Registers the mapper and returns its new client and the registrations it replaced. */
  register(id: MapperIdentity): { client: MapperClient; replaced: MapperIdentity[] } {
    const replaced: MapperIdentity[] = [];
    for (const [protocol, old] of this.byProtocol) {
      if (protocol === id.protocol || old.id.name === id.name) {
        old.close();
        this.byProtocol.delete(protocol);
        replaced.push(old.id);
      }
    }
    const client = new MapperClient(id, this.service, this.deadlineMs);
    this.byProtocol.set(id.protocol, client);
    return { client, replaced };
  }

  forProtocol(protocol: string): MapperClient | undefined {
    return this.byProtocol.get(protocol);
  }

  all(): MapperClient[] {
    return [...this.byProtocol.values()];
  }

  views(): MapperView[] {
    return this.all().map((c) => c.view());
  }

  closeAll(): void {
    for (const c of this.byProtocol.values()) c.close();
    this.byProtocol.clear();
  }
}
