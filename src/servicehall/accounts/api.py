from ninja import Router, Schema, Status

from .services import login_check, token_create

router = Router(tags=["accounts"])


class TokenRequest(Schema):
    username: str
    password: str
    name: str = "api"


class TokenOut(Schema):
    token: str
    prefix: str
    expires_at: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    center_code: str | None
    center_name: str | None
    department_code: str | None
    department_name: str | None


@router.post("/token", auth=None, response={201: TokenOut},
             summary="Exchange user name and password for an API token")
def create_token(request, payload: TokenRequest):
    """Failed attempts count towards the same lockout as the login page."""
    user = login_check(request=request, username=payload.username, password=payload.password)
    token, key = token_create(user=user, name=payload.name, by=user)
    return Status(201, {"token": key, "prefix": token.prefix,
                        "expires_at": token.expires_at.isoformat()})


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request):
    user = request.user
    return {
        "username": user.username, "full_name": user.get_full_name(), "role": user.role,
        "role_label": str(user.get_role_display()),
        "center_code": user.center.code if user.center_id else None,
        "center_name": user.center.name if user.center_id else None,
        "department_code": user.department.code if user.department_id else None,
        "department_name": user.department.name if user.department_id else None,
    }
