// Offline reboot with the cri runtime (the same flow runs for the other runtime).
import { offlineFlows } from '../harness/offline-flows.js';

offlineFlows('cri');
