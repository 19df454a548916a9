import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { SessionDto } from '@conduit/contracts';
import type { Request, Response } from 'express';
import { ApiErrorResponse } from '../common/api-errors.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { SessionResponse } from '../users/user.dto.js';
import { AuthService } from './auth.service.js';
import type { Caller } from './caller.js';
import { CurrentCaller, Public, SessionOnly } from './decorators.js';
import { LoginDto } from './dto.js';
import { SESSION_COOKIE } from './tokens.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionResponse, description: 'Sets the httpOnly `conduit_session` cookie.' })
  @ApiUnauthorizedResponse({ type: ApiErrorResponse, description: 'Invalid email or password' })
  @ApiTooManyRequestsResponse({ type: ApiErrorResponse, description: 'Too many failed sign-ins for this email from this network, from this network, or (spaced out) for this email; see Retry-After' })
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionDto> {
    const { token, expiresAt, session } = await this.auth.login(body.email, body.password, req.ip);
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.nodeEnv === 'production',
      path: '/',
      expires: expiresAt,
    });
    return session;
  }

  @Post('logout')
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiNoContentResponse()
  async logout(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(caller);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: this.config.nodeEnv === 'production', path: '/' });
  }

  @Get('me')
  @SessionOnly()
  @ApiCookieAuth()
  @ApiOkResponse({ type: SessionResponse })
  me(@CurrentCaller() caller: Caller): Promise<SessionDto> {
    // @SessionOnly guarantees a user caller; the check narrows the type.
    if (caller.kind !== 'user') throw new Error('unreachable: @SessionOnly route reached by an API key');
    return this.auth.me(caller);
  }
}
