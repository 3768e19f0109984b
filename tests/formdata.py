"""Read an HTML form the way a browser would submit it."""

from bs4 import BeautifulSoup


def form_fields(html: str, selector: str = "form.edit-form") -> dict[str, str]:
    """The name/value pairs a browser would send for the form (unchecked boxes left out)."""
    form = BeautifulSoup(html, "html.parser").select_one(selector)
    assert form is not None, f"no {selector} in page"
    data: dict[str, str] = {}
    for element in form.select("input[name], textarea[name], select[name]"):
        name = element["name"]
        if element.name == "textarea":
            # As an HTML parser reads it: newlines normalized, the one after <textarea> dropped.
            data[name] = element.text.replace("\r\n", "\n").removeprefix("\n")
        elif element.name == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option")
            data[name] = chosen.get("value", chosen.text) if chosen else ""
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                data[name] = element.get("value", "y")
        else:
            data[name] = element.get("value", "")
    return data


def get_form(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, response.text[:2000]
    return form_fields(response.text)


def post_multipart(client, url: str, form: dict, **kwargs):
    """A multipart POST; the test client leaves a large body's spooled file open: close it."""
    response = client.post(url, data=form, content_type="multipart/form-data", **kwargs)
    response.request.environ["wsgi.input"].close()
    return response
