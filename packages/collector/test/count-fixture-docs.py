#!/usr/bin/env python3
"""Independent counter of Kubernetes objects in the fixture file groups.

Used to cross-check the TypeScript collector's counts, so it deliberately shares no code with it.

Usage:
    python3 count-fixture-docs.py [FIXTURES_DIR] [GROUPS_JSON] [--details]

FIXTURES_DIR defaults to ../../../../shared/fixtures relative to this script, i.e.
/work/shared/fixtures; GROUPS_JSON to fixture-groups.json next to this script. The counts are
written to stdout as JSON (sorted keys, 2-space indentation). With --details, every skipped
document (template, unparseable, not Kubernetes) is listed on stderr with its file.

Regenerate the checked-in counts with:
    python3 count-fixture-docs.py > fixture-counts.json

Rules, applied to every document of every file of a group (files sorted by relative path, each file
read once per group):
  * YAML files (.yaml, .yml) are split with yaml.load_all and a yaml.SafeLoader subclass (see
    FixtureLoader); JSON files (.json) use json.load.
  * Empty / null documents are ignored.
  * A document that fails to parse (a YAML or JSON syntax error) counts under "unparseableDocs".
    When a YAML file fails part-way, the file is re-read document by document (split on lines that
    are exactly '---', optionally followed by spaces or a comment) so that its other documents
    still count. Collection-valued mapping keys (e.g. unquoted `{{ ... }}` values) are valid YAML
    and are accepted with a stringified key; unknown '!' tags are accepted as plain values.
    JSON files must be strict JSON (json.load): a file with a // comment is unparseable here, even
    though a YAML parser would accept it.
  * A mapping whose apiVersion, kind, metadata.name or metadata.namespace is a string containing
    '{{' is a template: counted under "templatesSkipped".
  * kind 'List' (any apiVersion), or any kind ending in 'List' whose 'items' is an array: the list
    itself is not counted; each item is classified with these same rules. Items of a typed list
    (e.g. PodList) that carry neither kind nor apiVersion get the list's kind without 'List' and the
    list's apiVersion (v1, or apps/v1 / networking.k8s.io/v1 for those kinds, when it has none).
  * A Kubernetes object is a mapping with a string apiVersion, a string kind and a non-empty string
    metadata.name. It counts under byKind["<api group>/<Kind>"], where the API group is the part of
    apiVersion before '/', or 'core' when apiVersion has no '/'.
  * Anything else that parses (other mappings, scalars, sequences) counts under "notKubernetes".
"""

import json
import os
import re
import sys

import yaml

MANIFEST_SUFFIXES = ('.yaml', '.yml', '.json')
DOC_SEPARATOR = re.compile(r'^---[ \t]*(#.*)?$')


class FixtureLoader(yaml.SafeLoader):
    """SafeLoader that accepts unknown '!' tags, keeps timestamps as strings and accepts
    collection-valued mapping keys.

    A mapping or sequence used as a key is valid YAML (an unquoted Go template such as
    `port: {{ index .Ports 0 }}` is a flow mapping whose key is itself a flow mapping), but a
    Python dict cannot hold it, so plain SafeLoader rejects the whole document ("found unhashable
    key"). JavaScript YAML parsers accept these documents and stringify the key; this loader does
    the same, so only real syntax errors count as unparseable.
    """

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                key = json.dumps(key, sort_keys=True, default=str)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _construct_untagged(loader, _tag_suffix, node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


def _construct_timestamp_as_string(loader, node):
    return loader.construct_scalar(node)


FixtureLoader.add_multi_constructor('!', _construct_untagged)
FixtureLoader.add_constructor('tag:yaml.org,2002:timestamp', _construct_timestamp_as_string)


class Counts:
    def __init__(self):
        self.by_kind = {}
        self.templates_skipped = 0
        self.unparseable_docs = 0
        self.not_kubernetes = 0
        self.files = 0

    def to_json(self):
        return {
            'objects': sum(self.by_kind.values()),
            'byKind': dict(sorted(self.by_kind.items())),
            'templatesSkipped': self.templates_skipped,
            'unparseableDocs': self.unparseable_docs,
            'notKubernetes': self.not_kubernetes,
            'files': self.files,
        }


class Reporter:
    def __init__(self, enabled):
        self.enabled = enabled

    def __call__(self, group_id, rel_path, what, detail=''):
        if self.enabled:
            suffix = f' ({detail})' if detail else ''
            print(f'{group_id}\t{rel_path}\t{what}{suffix}', file=sys.stderr)


def is_template_value(value):
    return isinstance(value, str) and '{{' in value


def is_template(doc):
    metadata = doc.get('metadata')
    values = [doc.get('apiVersion'), doc.get('kind')]
    if isinstance(metadata, dict):
        values += [metadata.get('name'), metadata.get('namespace')]
    return any(is_template_value(v) for v in values)


TYPED_LIST_API = {
    'NetworkPolicy': 'networking.k8s.io/v1',
    'Deployment': 'apps/v1',
    'DaemonSet': 'apps/v1',
    'StatefulSet': 'apps/v1',
    'ReplicaSet': 'apps/v1',
}


def is_list(doc):
    kind = doc.get('kind')
    if not isinstance(kind, str):
        return False
    if kind == 'List':
        return True
    return kind.endswith('List') and isinstance(doc.get('items'), list)


def is_kubernetes_object(doc):
    metadata = doc.get('metadata')
    return (
        isinstance(doc.get('apiVersion'), str)
        and isinstance(doc.get('kind'), str)
        and isinstance(metadata, dict)
        and isinstance(metadata.get('name'), str)
        and metadata.get('name') != ''
    )


def kind_key(doc):
    api_version = doc['apiVersion']
    group = api_version.split('/', 1)[0] if '/' in api_version else 'core'
    return f'{group}/{doc["kind"]}'


def classify(doc, counts, report):
    """Counts one parsed, non-null document (or List item)."""
    if isinstance(doc, dict):
        if is_template(doc):
            counts.templates_skipped += 1
            report('template', f'kind={doc.get("kind")!r}')
            return
        if is_list(doc):
            items = doc.get('items')
            kind = doc['kind']
            for item in items if isinstance(items, list) else []:
                if item is None:
                    continue
                # A typed list (PodList, NamespaceList, ...) as the API server returns it: the
                # items carry neither kind nor apiVersion; they are the list's.
                if kind != 'List' and isinstance(item, dict) and 'kind' not in item \
                        and 'apiVersion' not in item:
                    item_kind = kind[:-len('List')]
                    api = doc.get('apiVersion')
                    if not isinstance(api, str):
                        api = TYPED_LIST_API.get(item_kind, 'v1')
                    item = {'apiVersion': api, 'kind': item_kind, **item}
                classify(item, counts, report)
            return
        if is_kubernetes_object(doc):
            key = kind_key(doc)
            counts.by_kind[key] = counts.by_kind.get(key, 0) + 1
            return
        report('notKubernetes', 'mapping keys=' + ','.join(str(k) for k in list(doc)[:6]))
    else:
        report('notKubernetes', type(doc).__name__)
    counts.not_kubernetes += 1


def split_documents(text):
    """Splits a YAML stream on '---' lines (used only when the stream as a whole fails to parse)."""
    chunks, current = [], []
    for line in text.splitlines():
        if DOC_SEPARATOR.match(line):
            chunks.append('\n'.join(current))
            current = []
        else:
            current.append(line)
    chunks.append('\n'.join(current))
    return chunks


def parse_yaml(text, report):
    """Returns (documents, unparseable count)."""
    try:
        return list(yaml.load_all(text, Loader=FixtureLoader)), 0
    except yaml.YAMLError as whole_error:
        report('file fails as a stream, re-reading per document', first_line(whole_error))
    docs, failed = [], 0
    for chunk in split_documents(text):
        try:
            docs.extend(yaml.load_all(chunk, Loader=FixtureLoader))
        except yaml.YAMLError as error:
            failed += 1
            report('unparseable document', first_line(error))
    return docs, failed


def parse_json(text, report):
    if text.strip() == '':
        return [], 0
    try:
        return [json.loads(text)], 0
    except ValueError as error:
        report('unparseable document', first_line(error))
        return [], 1


def first_line(error):
    return ' '.join(str(error).split())[:160]


def expand_paths(fixtures_dir, paths):
    """Relative file paths of a group: files as given, directories expanded recursively."""
    files = set()
    for rel in paths:
        full = os.path.join(fixtures_dir, rel)
        if os.path.isfile(full):
            files.add(os.path.normpath(rel).replace(os.sep, '/'))
        elif os.path.isdir(full):
            for root, _dirs, names in os.walk(full):
                for name in names:
                    if name.lower().endswith(MANIFEST_SUFFIXES):
                        rel_file = os.path.relpath(os.path.join(root, name), fixtures_dir)
                        files.add(rel_file.replace(os.sep, '/'))
        else:
            raise SystemExit(f'fixture path not found: {rel}')
    return sorted(files)


def count_group(group, fixtures_dir, reporter):
    counts = Counts()
    for rel in expand_paths(fixtures_dir, group['paths']):
        with open(os.path.join(fixtures_dir, rel), encoding='utf-8-sig') as handle:
            text = handle.read()
        counts.files += 1

        def report(what, detail='', _rel=rel):
            reporter(group['id'], _rel, what, detail)

        if rel.lower().endswith('.json'):
            docs, failed = parse_json(text, report)
        else:
            docs, failed = parse_yaml(text, report)
        counts.unparseable_docs += failed
        for doc in docs:
            if doc is not None:
                classify(doc, counts, report)
    return counts.to_json()


def main(argv):
    details = '--details' in argv
    args = [a for a in argv if a != '--details']
    here = os.path.dirname(os.path.abspath(__file__))
    fixtures_dir = args[0] if len(args) > 0 else os.path.join(here, '../../../../shared/fixtures')
    groups_file = args[1] if len(args) > 1 else os.path.join(here, 'fixture-groups.json')
    with open(groups_file, encoding='utf-8') as handle:
        groups = json.load(handle)['groups']
    ids = [g['id'] for g in groups]
    if len(ids) != len(set(ids)):
        raise SystemExit('duplicate group ids in ' + groups_file)
    reporter = Reporter(details)
    result = {
        'generator': 'count-fixture-docs.py',
        'groups': {
            g['id']: count_group(g, os.path.normpath(fixtures_dir), reporter) for g in groups
        },
    }
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
