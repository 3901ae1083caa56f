// The seven common tasks with Descope's Node SDK (@descope/node-sdk), as its README writes them.
// `.ci/tokens` counts the tokens between each `task:` line and `end`; see BENCHMARKS.md.
import { setTimeout as sleep } from 'node:timers/promises';

export async function tasks(client, email, code, token, loginId, phone, sessionToken, refreshToken) {
  // task: otp
  await client.otp.signUpOrIn.email(email);
  let res = await client.otp.verify.email(email, code);
  // end

  // task: magic-link
  await client.magicLink.signIn.email(email, 'https://app.example.com/verify');
  res = await client.magicLink.verify(token);
  // end

  // task: update-phone
  await client.otp.update.phone.sms(loginId, phone, refreshToken);
  // end

  // task: validate
  const session = await client.validateSession(sessionToken);
  // end

  // task: refresh
  res = await client.refreshSession(refreshToken);
  // end

  // task: logout
  await client.logout(refreshToken);
  // end

  // task: errors
  res = await client.otp.verify.email(email, code);
  if (res.code === 429) {
    await sleep(res.error.retryAfter * 1000);
  } else if (res.error?.errorCode === 'E061102') {
    console.log('wrong code');
  }
  // end
  return [res, session];
}
