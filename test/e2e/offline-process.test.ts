// Offline reboot with the process runtime (the same flow runs for the other runtime).
import { offlineFlows } from '../harness/offline-flows.js';

offlineFlows('process');
