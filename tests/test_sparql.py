"""SPARQL execution: parameter terms, safe binding, running over the union graph, formatting."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from kg.sparql import (
    QueryError,
    bind,
    format_result,
    parse_binding,
    parse_term,
    query_prefixes,
    resolve_query,
    run_query,
)

EX = "http://example.org/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    data = f"""
    <{EX}p1> <{LABEL}> "项目甲" <{EX}g1> .
    <{EX}p1> <{EX}score> "70"^^<{XSD}integer> <{EX}g1> .
    <{EX}p2> <{LABEL}> "项目乙" <{EX}g2> .
    <{EX}p2> <{EX}score> "95"^^<{XSD}integer> <{EX}g2> .
    """
    store.load(data.encode(), ox.RdfFormat.N_QUADS)
    return store


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<http://example.org/x>", ox.NamedNode("http://example.org/x")),
        ('"满意度"@zh', ox.Literal("满意度", language="zh")),
        ('"a \\"b\\""', ox.Literal('a "b"')),
        ('"7"^^<http://www.w3.org/2001/XMLSchema#int>', ox.Literal("7", datatype=ox.NamedNode(XSD + "int"))),
        ("80", ox.Literal("80", datatype=ox.NamedNode(XSD + "integer"))),
        ("-2.5", ox.Literal("-2.5", datatype=ox.NamedNode(XSD + "decimal"))),
        ("true", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
        ("医疗保障体系建设", ox.Literal("医疗保障体系建设")),
        ('x" } ; DROP ALL ; #', ox.Literal('x" } ; DROP ALL ; #')),
    ],
)
def test_parameter_values_become_rdf_terms(text, expected):
    assert parse_term(text) == expected


@pytest.mark.parametrize("text", ["<not an iri>", '"x"^^<bad iri>'])
def test_malformed_terms_are_refused(text):
    with pytest.raises(QueryError):
        parse_term(text)


@pytest.mark.parametrize("text", ["noequals", "=v", "two words=v", "a-b=1"])
def test_a_parameter_needs_a_variable_name_and_a_value(text):
    with pytest.raises(QueryError):
        parse_binding(text)


def test_parameter_names_may_carry_their_question_mark():
    assert parse_binding("?name=甲") == ("name", ox.Literal("甲"))


def test_binding_filters_a_query_by_the_bound_value(store):
    query = f"SELECT ?p WHERE {{ ?p <{LABEL}> ?name }}"
    result = run_query(store, query, {"name": ox.Literal("项目乙")})
    assert result.rows == [(ox.NamedNode(EX + "p2"),)]


def test_binding_reaches_variables_that_are_not_projected(store):
    # pyoxigraph's own substitutions only bind projected variables; a threshold is not one
    query = f"""SELECT (COUNT(?p) AS ?n) WHERE {{
      BIND(COALESCE(?floor, 80) AS ?limit)
      ?p <{EX}score> ?score FILTER(?score < ?limit) }}"""
    assert run_query(store, query).rows[0][0].value == "1"
    bound = run_query(store, query, {"floor": parse_term("100")})
    assert bound.rows[0][0].value == "2"


def test_an_injection_attempt_is_only_a_string_that_matches_nothing(store):
    before = len(store)
    evil = parse_term('x" } ; DROP ALL ; #')
    query = f"SELECT ?p WHERE {{ ?p <{LABEL}> ?name }}"
    text = bind(query, {"name": evil})
    assert text.count("VALUES") == 1
    assert run_query(store, query, {"name": evil}).rows == []
    assert len(store) == before
    closing = parse_term('"} } SELECT * WHERE { ?s ?p ?o } #"')
    assert run_query(store, query, {"name": closing}).rows == []


def test_values_go_into_the_where_group_not_a_brace_in_a_string_comment_or_template():
    query = """# a comment with { brace
    PREFIX ex: <http://example.org/#odd>
    CONSTRUCT { ?p ex:says "{" } WHERE { ?p ex:name ?name }"""
    text = bind(query, {"name": ox.Literal("甲")})
    assert 'WHERE { VALUES (?name) { ("甲") }' in text
    ox.Store().query(text)  # still parses


def test_select_without_the_where_keyword_is_bound_too():
    text = bind("SELECT * { ?s ?p ?o }", {"o": ox.Literal("1")})
    assert text.startswith('SELECT * { VALUES (?o) { ("1") }')


def test_binding_a_variable_the_query_lacks_is_an_error():
    with pytest.raises(QueryError, match=r"\?nme"):
        bind("SELECT ?name WHERE { ?s ?p ?name }", {"nme": ox.Literal("x")})


def test_a_variable_named_only_in_a_comment_or_string_does_not_count():
    with pytest.raises(QueryError):
        bind('SELECT ?s WHERE { ?s ?p "?x" } # ?x', {"x": ox.Literal("1")})


def test_queries_see_the_union_of_named_graphs(store):
    result = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert result.rows[0][0].value == "4"


def test_a_syntax_error_is_a_query_error(store):
    with pytest.raises(QueryError, match="syntax"):
        run_query(store, "SELEC ?x WHERE {}")


def test_an_update_cannot_run_as_a_query(store):
    with pytest.raises(QueryError):
        run_query(store, "DROP ALL")
    assert len(store) == 4


def test_table_aligns_chinese_text_by_display_width_and_shortens_iris():
    from kg.sparql import QueryResult

    rows = [(ox.Literal("项目甲"), ox.NamedNode(EX + "p1")), (ox.Literal("ab"), ox.NamedNode(EX + "p2"))]
    text = format_result(QueryResult("select", ["name", "p"], rows), "table", prefixes={"ex": EX})
    lines = text.splitlines()
    assert lines == ["name   | p", "-------+------", "项目甲 | ex:p1", "ab     | ex:p2", "(2 rows)"]


def test_csv_tsv_and_json_carry_the_same_rows(store):
    result = run_query(store, f"SELECT ?p ?score WHERE {{ ?p <{EX}score> ?score }} ORDER BY ?score")
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows == [["p", "score"], [EX + "p1", "70"], [EX + "p2", "95"]]
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0] == "?p\t?score"
    assert tsv[1] == f'<{EX}p1>\t"70"^^<{XSD}integer>'
    parsed = ox.parse_query_results(format_result(result, "json").encode(), ox.QueryResultsFormat.JSON)
    assert [s["score"] for s in parsed] == [r[1] for r in result.rows]


def test_ask_and_construct_results_print_plainly(store):
    assert format_result(run_query(store, "ASK { ?s ?p 1 }"), "table") == "false\n"
    assert json.loads(format_result(run_query(store, "ASK { ?s ?p ?o }"), "json"))["boolean"] is True
    graph = run_query(store, f"CONSTRUCT {{ ?s <{EX}x> 1 }} WHERE {{ ?s <{LABEL}> ?o }}")
    assert len(list(ox.parse(format_result(graph, "table").encode(), ox.RdfFormat.N_TRIPLES))) == 2


def test_query_prefixes_are_read_for_display():
    assert query_prefixes("PREFIX ex: <http://e/>\nPREFIX : <http://d/> SELECT * {}") == {
        "ex": "http://e/",
        "": "http://d/",
    }


def test_named_queries_and_query_files_resolve(tmp_path):
    from kg.queries import list_queries

    name = sorted(list_queries())[0]
    assert resolve_query(name).strip()
    rq = tmp_path / "mine.rq"
    rq.write_text("ASK {}", encoding="utf-8")
    assert resolve_query(str(rq)) == "ASK {}"
    with pytest.raises(QueryError, match="no named query"):
        resolve_query("no_such_query")


def test_every_named_query_parses_and_runs_on_an_empty_store():
    from kg.queries import list_queries, load_query

    for name in list_queries():
        run_query(ox.Store(), load_query(name))
