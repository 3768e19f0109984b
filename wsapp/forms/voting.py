"""Forms of the voting pages."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import InputRequired, Length

from wsapp.forms.base import Form


class VoteForm(Form):
    """One category's ballot: the pressed button's value is the paper; the code rides along
    until the ballot is bound to the browser."""

    class Meta:
        # The app's CSRFProtect has checked the token before the view runs (every POST); the
        # ballot writes the token field itself (templates/voting/_ballot.html).
        csrf = False

    paper = IntegerField(_l("Paper"), validators=[InputRequired()])
    code = HiddenField(label="")  # a label nobody sees, not translated on every vote


class CodeForm(Form):
    """Typing the code from a ballot card (a GET form: it only shows the ballot)."""

    class Meta:
        csrf = False

    code = StringField(_l("Ballot code"), validators=[InputRequired(), Length(max=40)])
