import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import type { NextFunction, Request, Response } from 'express';
import { AuthService } from '../auth/auth.service.js';
import { QueueName } from './queue-names.js';

export const BULL_BOARD_PATH = '/api/admin/queues';

/** Mounts Bull Board behind the session cookie of an admin (plain Express, so the Nest guard does not see it). */
export function mountBullBoard(app: INestApplication): void {
  const auth = app.get(AuthService);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  const queues = Object.values(QueueName).map((name) => new BullAdapter(app.get<Queue>(getQueueToken(name), { strict: false })));
  createBullBoard({ queues, serverAdapter });

  const adminOnly = (req: Request, res: Response, next: NextFunction): void => {
    auth.authenticate(req).then(
      (caller) => {
        if (!caller) res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Authentication required' });
        else if (caller.kind !== 'user' || caller.role !== 'admin') res.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'Admins only' });
        else next();
      },
      (err: unknown) => next(err),
    );
  };
  app.use(BULL_BOARD_PATH, adminOnly, serverAdapter.getRouter());
}
