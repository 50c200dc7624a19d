/**
 * Access tokens: ES256 JWTs signed with the newest key of `JWT_SIGNING_KEYS` (each key has a
 * `kid`); every configured key verifies, which is how keys rotate (see README, "Signing keys").
 * Verification pins the algorithm, issuer and audience and requires an expiry, so `alg: none`,
 * HS256-with-the-public-key, foreign and expired tokens all fail. The header says `typ: at+jwt`
 * (RFC 9068) and verification requires it (RFC 8725 §3.11), so no other JWT we might ever sign
 * (an ID token, a link token) can be replayed as an access token. `ver` is the user's token version
 * (admin routes compare it with D1, see identity/access.ts). Keys are imported once per isolate.
 */
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JWK, type JWTVerifyGetKey } from "jose";
import { perConfig, type Config, type Env } from "../../env";
import { newId } from "../../platform/ids";
import type { Caller } from "../../platform/context";
import { UnauthorizedError } from "../../platform/errors";
import { ROLES, type Role } from "./permissions";

export const ACCESS_TOKEN_TTL_SECONDS = 10 * 60;
const ALGORITHM = "ES256";
export const ACCESS_TOKEN_TYPE = "at+jwt";

interface KeyRing {
  signingKid: string;
  signingKey: CryptoKey;
  publicJwks: JWK[];
  verifyKey: JWTVerifyGetKey;
}

/** Built key rings by env: the values, never a promise of one (a promise belongs to the request that made it). */
const rings = new WeakMap<object, KeyRing>();

async function buildKeyRing(serialized: string): Promise<KeyRing> {
  const jwks = JSON.parse(serialized) as JWK[];
  if (!Array.isArray(jwks) || jwks.length === 0 || jwks.some((jwk) => !jwk.kid || !jwk.d)) {
    throw new Error("JWT_SIGNING_KEYS must be a non-empty JSON array of private JWKs, each with a kid");
  }
  const [newest] = jwks as [JWK, ...JWK[]];
  const publicJwks = jwks.map(({ kty, crv, x, y, kid }) => ({ kty, crv, x, y, kid, alg: ALGORITHM, use: "sig" }));
  return {
    signingKid: newest.kid as string,
    signingKey: (await importJWK({ ...newest, alg: ALGORITHM }, ALGORITHM)) as CryptoKey,
    publicJwks,
    verifyKey: createLocalJWKSet({ keys: publicJwks }),
  };
}

/**
 * The key ring of this env, built once per isolate (env objects are stable per isolate). Requests
 * that arrive before the first build finished build their own (a few key imports): none awaits
 * another's.
 */
export async function keyRing(env: Env): Promise<KeyRing> {
  const built = rings.get(env);
  if (built) return built;
  const ring = await buildKeyRing(env.JWT_SIGNING_KEYS);
  rings.set(env, ring);
  return ring;
}

export async function signAccessToken(
  env: Env,
  config: Config,
  subject: { userId: string; role: Role; tokenVersion: number; email?: string },
) {
  const ring = await keyRing(env);
  const accessToken = await new SignJWT({
    role: subject.role,
    ver: subject.tokenVersion,
    ...(subject.email ? { email: subject.email } : {}),
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: ring.signingKid, typ: ACCESS_TOKEN_TYPE })
    .setSubject(subject.userId)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .setIssuedAt()
    .setJti(newId("jti"))
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(ring.signingKey);
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

const verifyOptions = perConfig((config) => ({
  algorithms: [ALGORITHM],
  typ: ACCESS_TOKEN_TYPE,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  requiredClaims: ["exp", "sub", "iat", "ver"],
}));

export async function verifyAccessToken(env: Env, config: Config, token: string): Promise<Caller> {
  const ring = await keyRing(env);
  try {
    const { payload } = await jwtVerify(token, ring.verifyKey, verifyOptions(config));
    const role = payload.role;
    if (typeof payload.sub !== "string" || !ROLES.includes(role as Role) || !Number.isSafeInteger(payload.ver))
      throw new Error("bad claims");
    return {
      userId: payload.sub,
      role: role as Role,
      tokenVersion: payload.ver as number,
      ...(typeof payload.email === "string" ? { email: payload.email } : {}),
    };
  } catch {
    // one answer for every failure: the client learns nothing about which check failed
    throw new UnauthorizedError({
      detail: "The access token is invalid or expired",
      headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' },
    });
  }
}
