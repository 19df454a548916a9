/**
 * Consumer mailbox providers. An address at one of these says nothing about the person's
 * employer, so Conduit never derives a company domain from it (nor matches companies by it).
 */
const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  // Google
  'gmail.com', 'googlemail.com',
  // Microsoft (outlook/hotmail/live/msn families also matched by provider below)
  'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'passport.com', 'windowslive.com',
  // Yahoo / Verizon media / AOL
  'yahoo.com', 'ymail.com', 'rocketmail.com', 'aol.com', 'aim.com', 'verizon.net', 'love.com', 'games.com', 'wow.com',
  // Apple
  'icloud.com', 'me.com', 'mac.com',
  // Privacy-focused
  'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me', 'tutanota.com', 'tutanota.de', 'tuta.io', 'tutamail.com',
  'keemail.me', 'posteo.de', 'posteo.net', 'mailbox.org', 'hushmail.com', 'hush.com', 'startmail.com', 'runbox.com',
  'fastmail.com', 'fastmail.fm', 'disroot.org', 'riseup.net', 'ctemplar.com', 'skiff.com', 'duck.com',
  // Other international providers
  'zoho.com', 'zohomail.com', 'zohomail.eu', 'mail.com', 'email.com', 'usa.com', 'inbox.com', 'gmx.com', 'gmx.net',
  'web.de', 't-online.de', 'freenet.de', 'arcor.de', 'online.de', 'email.de',
  'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'sfr.fr', 'neuf.fr', 'club-internet.fr', 'bbox.fr',
  'libero.it', 'virgilio.it', 'tin.it', 'alice.it', 'tiscali.it', 'email.it', 'fastwebnet.it',
  'btinternet.com', 'sky.com', 'virginmedia.com', 'blueyonder.co.uk', 'ntlworld.com', 'talktalk.net', 'btopenworld.com',
  'tiscali.co.uk', 'o2.co.uk', 'orange.net',
  'telenet.be', 'skynet.be', 'ziggo.nl', 'kpnmail.nl', 'planet.nl', 'home.nl', 'chello.nl', 'xs4all.nl',
  'bluewin.ch', 'sunrise.ch', 'hispeed.ch',
  'terra.com.br', 'bol.com.br', 'uol.com.br', 'ig.com.br', 'globo.com',
  'seznam.cz', 'centrum.cz', 'atlas.cz', 'wp.pl', 'o2.pl', 'onet.pl', 'interia.pl', 'op.pl', 'poczta.onet.pl',
  'mail.ru', 'inbox.ru', 'list.ru', 'bk.ru', 'rambler.ru', 'ya.ru', 'ukr.net', 'i.ua', 'meta.ua',
  'abv.bg', 'rediffmail.com', 'sify.com',
  'qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', 'sina.com', 'sina.cn', 'sohu.com', 'aliyun.com', '139.com',
  '188.com', 'tom.com', '21cn.com',
  'naver.com', 'hanmail.net', 'daum.net', 'nate.com', 'kakao.com',
  'docomo.ne.jp', 'ezweb.ne.jp', 'softbank.ne.jp', 'nifty.com', 'excite.co.jp',
  'comcast.net', 'att.net', 'sbcglobal.net', 'bellsouth.net', 'charter.net', 'cox.net', 'earthlink.net', 'juno.com',
  'netzero.net', 'optonline.net', 'frontier.com', 'windstream.net', 'centurylink.net', 'roadrunner.com', 'rr.com',
  'shaw.ca', 'rogers.com', 'sympatico.ca', 'videotron.ca', 'telus.net',
  'bigpond.com', 'bigpond.net.au', 'optusnet.com.au', 'iinet.net.au', 'xtra.co.nz',
  'lycos.com', 'excite.com', 'mail2world.com', 'gawab.com', 'inbox.lv', 'inbox.lt', 'mail.ee',
  // Disposable inboxes (not employers either)
  'mailinator.com', 'guerrillamail.com', '10minutemail.com', 'temp-mail.org', 'yopmail.com', 'trashmail.com',
  'sharklasers.com', 'getnada.com', 'dispostable.com', 'maildrop.cc',
]);

/**
 * Providers that exist under many country domains (`yahoo.co.uk`, `hotmail.fr`, `gmx.de`,
 * `yandex.ru`, `outlook.com.br`...): matched as `<provider>.<tld>` or `<provider>.<sld>.<tld>`.
 */
const FREE_MAIL_PROVIDER_FAMILIES = ['yahoo', 'hotmail', 'outlook', 'live', 'msn', 'gmx', 'yandex', 'aol', 'windowslive', 'ymail', 'googlemail', 'rediffmail', 'zoho'];
const FAMILY_PATTERN = new RegExp(`^(?:${FREE_MAIL_PROVIDER_FAMILIES.join('|')})\\.(?:[a-z]{2,3}\\.)?[a-z]{2,3}$`);

/** True when `domain` (already a bare, lower-case host) belongs to a consumer mailbox provider. */
export function isFreeMailDomainName(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain) || FAMILY_PATTERN.test(domain);
}

export const FREE_MAIL_DOMAIN_LIST: readonly string[] = [...FREE_MAIL_DOMAINS].sort();
