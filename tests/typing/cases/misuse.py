"""Wrong arguments to the framework are errors in the editor, not at startup."""

from hinted import App, Depends, Query

app = App(title=3)  # E: Argument "title" to "App" has incompatible type "int"; expected "str"


@app.get(123)  # E: Argument 1 to "get" of "App" has incompatible type "int"; expected "str"
def by_number() -> None: ...


@app.post("/messages", status_code="201")  # E: Argument "status_code" to "post" of "App" has incompatible type "str"; expected "int | None"
def create() -> None: ...


@app.get("/typo", summery="Read")  # E: Unexpected keyword argument "summery" for "get" of "App"
def typo() -> None: ...


@app.get("/tags", tags="chat")  # E: Argument "tags" to "get" of "App" has incompatible type "str"; expected "list[str] | None"
def tagged() -> None: ...


def limit(value: int = Query(10, ge="one")) -> int:  # E: Argument "ge" to "Query" has incompatible type "str"; expected "float | None"
    return value


def needs(value: int = Depends(42)) -> int:  # E: Argument 1 to "Depends" has incompatible type "int"; expected "Callable[..., Any] | None"
    return value
