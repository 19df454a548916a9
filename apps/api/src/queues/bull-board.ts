import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuthService } from '../auth/auth.service.js';
import { checkOperator } from '../auth/operator.js';
import type { AppConfig } from '../config/app-config.js';
import { QueueRegistry } from './queue-registry.js';

export const BULL_BOARD_PATH = '/api/admin/queues';

/**
 * Mounts Bull Board for the instance's operators only (OPERATOR_TOKEN, see auth/operator.ts). The queues are shared
 * by every workspace, and their jobs carry workspaces' payloads and failure reasons: a workspace admin gets 403 and
 * sees their own work on the product's pages. Plain Express, so the Nest guard does not see it.
 */
export function mountBullBoard(app: INestApplication, config: AppConfig): void {
  const auth = app.get(AuthService);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  // QueueRegistry and AuthService are exported by their (global) modules, so the root resolves them.
  const queues = app.get(QueueRegistry).all().map((queue) => new BullAdapter(queue));
  createBullBoard({ queues, serverAdapter });

  const operatorsOnly = (req: Request, res: Response, next: NextFunction): void => {
    const check = checkOperator(config, req.headers.authorization);
    if (check === 'operator') return next();
    if (check === 'wrong') return void challenge(res);
    // A signed-in workspace user (or API key) is told why, rather than being asked for a password.
    auth.authenticate(req).then(
      (caller) => {
        if (caller) {
          res.status(403).json({ statusCode: 403, error: 'Forbidden', message: "The queue dashboard is for the instance's operators, not for workspace users" });
        } else if (check === 'disabled') {
          res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'The queue dashboard is closed: no OPERATOR_TOKEN is configured on this instance' });
        } else {
          challenge(res);
        }
      },
      (err: unknown) => next(err),
    );
  };
  app.use(BULL_BOARD_PATH, operatorsOnly, serverAdapter.getRouter());
}

/** 401 with a Basic challenge, so a browser asks for the operator token (as the password). */
function challenge(res: Response): void {
  res.setHeader('WWW-Authenticate', 'Basic realm="Conduit operators", charset="UTF-8"');
  res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Operator credentials required' });
}
