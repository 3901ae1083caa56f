# The seven common tasks with Descope's Python SDK (descope on PyPI), as its README writes them.
# `.ci/tokens` counts the tokens between each `task:` line and `end`; see BENCHMARKS.md.
import json
import time

from descope import AuthException, DeliveryMethod, DescopeClient, RateLimitException


def tasks(client: DescopeClient, email, code, token, login_id, phone, session_token, refresh_token):
    # task: otp
    client.otp.sign_up_or_in(DeliveryMethod.EMAIL, email)
    res = client.otp.verify_code(DeliveryMethod.EMAIL, email, code)
    # end

    # task: magic-link
    client.magiclink.sign_in(DeliveryMethod.EMAIL, email, "https://app.example.com/verify")
    res = client.magiclink.verify(token)
    # end

    # task: update-phone
    client.otp.update_user_phone(DeliveryMethod.SMS, login_id, phone, refresh_token)
    # end

    # task: validate
    session = client.validate_session(session_token)
    # end

    # task: refresh
    res = client.refresh_session(refresh_token)
    # end

    # task: logout
    client.logout(refresh_token)
    # end

    # task: errors
    try:
        res = client.otp.verify_code(DeliveryMethod.EMAIL, email, code)
    except RateLimitException as e:
        time.sleep(e.rate_limit_parameters["Retry-After"])
    except AuthException as e:
        if json.loads(e.error_message)["errorCode"] == "E061102":
            print("wrong code")
    # end
    return res, session
