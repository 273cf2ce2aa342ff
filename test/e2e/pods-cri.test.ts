// Issue 4's pod flows with the cri runtime (the same flows run for the other runtime).
import { podFlows } from '../harness/pod-flows.js';

podFlows('cri');
