// A logs session: find the container instance, then stream its CRI log file through the tunnel
// (kubelet's GetContainerLogs). Following ends when that instance stops and its file is drained.
import { StreamChannels, type LogsRequest } from '../../core/tunnel/index.js';
import { readContainerLog, type ReadLogOptions } from '../edged/logs/index.js';
import type { ContainerLocator } from '../edged/pod-contracts.js';
import type { EdgeSession } from './edge-session.js';
import { sessionErrorOf } from './errors.js';

/** How often a followed container is checked for having stopped (ms). */
const RUNNING_CHECK_MS = 1000;

export async function serveLogs(s: EdgeSession, req: LogsRequest, locator: ContainerLocator): Promise<void> {
  let running: boolean;
  let timer: NodeJS.Timeout | undefined;
  try {
    const loc = await locator.locate(req.namespace, req.pod, req.container, req.previous);
    running = loc.running;
    const opts: ReadLogOptions = { follow: req.follow, timestamps: req.timestamps, isRunning: () => running };
    if (req.tailLines !== undefined) opts.tailLines = req.tailLines;
    if (req.sinceSeconds !== undefined) opts.sinceSeconds = req.sinceSeconds;
    if (req.sinceTime !== undefined) opts.sinceTime = req.sinceTime;
    if (req.limitBytes !== undefined) opts.limitBytes = req.limitBytes;
    if (req.follow && running) {
      // The instance counts as stopped once it is no longer the pod's current, running one.
      timer = setInterval(() => {
        locator.locate(req.namespace, req.pod, req.container, false)
          .then((now) => { running = now.running && now.containerId === loc.containerId; })
          .catch(() => { running = false; });
      }, RUNNING_CHECK_MS);
    }
    const lines = readContainerLog(loc.logPath, opts, s.signal)[Symbol.asyncIterator]();
    // Opening the file happens on the first next(): a missing file is an error before `ready`.
    let first = await lines.next();
    s.ready();
    while (!first.done) {
      await s.sendData(StreamChannels.stdout, first.value);
      first = await lines.next();
    }
    s.close();
  } catch (err) {
    if (!s.ended) s.fail(sessionErrorOf(err));
  } finally {
    clearInterval(timer);
  }
}
