// Issue 4's pod flows with the process runtime (the same flows run for the other runtime).
import { podFlows } from '../harness/pod-flows.js';

podFlows('process');
