"""flask commands, a module per group; COMMANDS is what the factory registers."""

from wsapp.cli import content, demo, freeze, imports, papers, static, users, voting, workshops

COMMANDS = [
    demo.demo,
    content.content,
    users.users,
    content.export_command,
    imports.import_group,
    freeze.freeze,
    voting.voting,
    papers.papers,
    workshops.workshops,
    static.static,
]
