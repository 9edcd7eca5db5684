//! Pinned-Dependencies: GitHub Actions `uses:` (pinned = a full commit SHA, a local action, or
//! a docker image by sha256 digest), Dockerfile `FROM` (pinned = `@sha256:` digest, `scratch`,
//! or a stage built from a pinned image; `ARG` defaults are substituted), download-then-run and
//! package installs in workflow `run:` steps, Dockerfile `RUN` (shell and JSON forms, heredocs)
//! and shell scripts, and NuGet lock mode (`RestoreLockedMode` in every .csproj, or central
//! package management with exact `[x]` versions) which re-classifies `nuget`/`dotnet` installs.
//!
//! Dockerfiles and scripts under `vendor/` or `third_party/`, template Dockerfiles, and
//! Dockerfiles that are really shell scripts are skipped, as Scorecard does.

use super::workflow;
use crate::shell::{self, ShellScan};
use crate::tree::{Tree, file_name, is_workflow_path};
use crate::{CheckResult, Finding, Score};
use std::collections::{BTreeMap, HashSet};

pub const NAME: &str = "Pinned-Dependencies";

/// One dependency with Scorecard's type names.
#[derive(Debug, Clone, PartialEq)]
pub struct Dep {
    pub kind: String,
    pub file: String,
    pub start_line: u32,
    pub end_line: u32,
    pub snippet: String,
    pub name: Option<String>,
    pub pinned_at: Option<String>,
    pub pinned: bool,
}

/// Dependencies and recoverable problems of one analysis.
#[derive(Debug, Clone, Default)]
pub struct Deps {
    pub deps: Vec<Dep>,
    /// Parts that could not be read (file, line, message).
    pub errors: Vec<(String, u32, String)>,
}

impl Deps {
    pub fn unpinned(&self) -> usize {
        self.deps.iter().filter(|d| !d.pinned).count()
    }

    fn add_shell(&mut self, file: &str, scan: ShellScan) {
        for d in scan.deps {
            self.deps.push(Dep {
                kind: d.kind.name().to_string(),
                file: file.to_string(),
                start_line: d.start_line,
                end_line: d.end_line,
                snippet: d.snippet,
                name: None,
                pinned_at: None,
                pinned: d.pinned,
            });
        }
        for e in scan.errors {
            self.errors.push((file.to_string(), e.line, e.message));
        }
    }
}

/// A hard failure of an analysis (the file is not what its name says).
#[derive(Debug, Clone)]
pub struct AnalysisError {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

fn is_hex(s: &str, n: usize) -> bool {
    s.len() >= n && s.chars().all(|c| c.is_ascii_hexdigit())
}

/// Whether a `uses:` value is pinned.
pub fn action_pinned(uses: &str) -> bool {
    if uses.starts_with('.') && uses.len() > 1 && !uses.ends_with('/') {
        return true;
    }
    if let Some((_, r)) = uses.split_once('@')
        && is_hex(&r[..r.len().min(40)], 40)
    {
        return true;
    }
    if uses.starts_with("docker://")
        && let Some((_, d)) = uses.split_once("@sha256:")
    {
        return is_hex(&d[..d.len().min(64)], 64);
    }
    false
}

/// `uses:` references (steps and reusable-workflow jobs) of one workflow file.
pub fn gha_uses(path: &str, text: &str) -> Result<Deps, AnalysisError> {
    let mut out = Deps::default();
    if !is_workflow_path(path) || !has_commands(text) {
        return Ok(out);
    }
    let wf = workflow::parse(text).map_err(|e| AnalysisError {
        file: path.into(),
        line: e.line,
        message: e.message,
    })?;
    let mut push = |uses: &str, line: u32| {
        let (name, at) = match uses.split_once('@') {
            Some((n, a)) => (n.to_string(), Some(a.to_string())),
            None => (uses.to_string(), None),
        };
        out.deps.push(Dep {
            kind: "GitHubAction".into(),
            file: path.into(),
            start_line: line,
            end_line: line,
            snippet: uses.into(),
            name: Some(name),
            pinned_at: at,
            pinned: action_pinned(uses),
        });
    };
    for job in &wf.jobs {
        if let Some((u, l)) = &job.uses
            && !u.starts_with("./")
        {
            push(u, *l);
        }
        for s in &job.steps {
            // An alias repeats a reference already counted at its anchor.
            if let Some((u, l)) = &s.uses
                && !s.uses_alias
                && !u.is_empty()
                && !u.starts_with("./")
            {
                push(u, *l);
            }
        }
    }
    Ok(out)
}

/// Whether the file has anything but blank lines and `#` comments.
fn has_commands(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

fn in_vendor(path: &str) -> bool {
    path.split('/')
        .any(|d| d.eq_ignore_ascii_case("vendor") || d.eq_ignore_ascii_case("third_party"))
}

fn is_template(path: &str) -> bool {
    let n = file_name(path).to_ascii_lowercase();
    n.contains("template") || n.ends_with(".tmpl") || n.ends_with(".tpl") || n.ends_with(".j2")
}

/// Whether Scorecard would read this file as a Dockerfile.
pub fn is_dockerfile(path: &str, content: &[u8]) -> bool {
    if !file_name(path).to_ascii_lowercase().contains("dockerfile") {
        return false;
    }
    let ext_excluded = [".go", ".c", ".cpp", ".rs", ".js", ".py", ".pyc", ".java"]
        .iter()
        .any(|e| path.ends_with(e));
    !ext_excluded && !shell::is_shell_script(path, content)
}

/// One Dockerfile instruction.
#[derive(Debug, Clone)]
pub struct Instruction {
    pub keyword: String,
    pub args: String,
    pub start_line: u32,
    pub end_line: u32,
    /// The original text with continuations (for snippets).
    pub original: String,
    pub heredocs: Vec<String>,
}

/// Splits a Dockerfile into instructions: line continuations (`\`, or the `# escape=` char)
/// joined, comment lines dropped, heredoc bodies (`<<EOT`, `<<-EOT`) collected.
pub fn dockerfile_instructions(text: &str) -> Vec<Instruction> {
    let lines: Vec<&str> = text.lines().collect();
    let mut escape = '\\';
    for l in &lines {
        let t = l.trim();
        if !t.starts_with('#') {
            break;
        }
        let d = t.trim_start_matches('#').trim().to_ascii_lowercase();
        if let Some(v) = d.strip_prefix("escape=") {
            escape = v.trim().chars().next().unwrap_or('\\');
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if t.is_empty() || t.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let mut joined = String::new();
        let mut original = String::new();
        loop {
            let l = lines[i].trim_end_matches('\r');
            if !original.is_empty() {
                original.push('\n');
            }
            original.push_str(l);
            let tl = l.trim_end();
            if let Some(stripped) = tl.strip_suffix(escape) {
                joined.push_str(stripped);
                i += 1;
                // Comment and empty lines inside a continuation are skipped.
                while i < lines.len() && {
                    let n = lines[i].trim();
                    n.starts_with('#') || n.is_empty()
                } {
                    i += 1;
                }
                if i >= lines.len() {
                    break;
                }
            } else {
                joined.push_str(tl);
                i += 1;
                break;
            }
        }
        let end = i;
        let joined = joined.trim().to_string();
        let (kw, args) = match joined.split_once(char::is_whitespace) {
            Some((k, a)) => (k.to_ascii_uppercase(), a.trim().to_string()),
            None => (joined.to_ascii_uppercase(), String::new()),
        };
        // Heredocs: `<<[-]["']WORD["']` in the arguments; bodies follow.
        let mut heredocs = Vec::new();
        let mut end_line = end as u32;
        if kw == "RUN" || kw == "COPY" || kw == "ADD" {
            let mut rest = args.as_str();
            let mut delims = Vec::new();
            while let Some(p) = rest.find("<<") {
                let after = &rest[p + 2..];
                let strip = after.starts_with('-');
                let after = after.trim_start_matches('-');
                let word: String = after
                    .chars()
                    .take_while(|c| !c.is_whitespace())
                    .collect::<String>()
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string();
                if word.is_empty() || !word.chars().next().is_some_and(|c| c.is_alphabetic()) {
                    break;
                }
                delims.push((word.clone(), strip));
                rest = &after[word.len().min(after.len())..];
            }
            for (d, strip) in delims {
                let mut body = String::new();
                while i < lines.len() {
                    let l = lines[i].trim_end_matches('\r');
                    i += 1;
                    let cmp = if strip { l.trim_start_matches('\t') } else { l };
                    if cmp == d {
                        break;
                    }
                    body.push_str(if strip { cmp } else { l });
                    body.push('\n');
                }
                heredocs.push(body);
            }
            if !heredocs.is_empty() {
                end_line = i as u32;
            }
        }
        out.push(Instruction {
            keyword: kw,
            args,
            start_line: start as u32 + 1,
            end_line,
            original: original.trim().to_string(),
            heredocs,
        });
    }
    out
}

fn is_digest_pinned(name: &str) -> bool {
    // `…@sha256:<64 hex>` or `…@sha256:${…}`
    let Some(p) = name.find("@sha256:") else {
        return false;
    };
    let d = &name[p + 8..];
    is_hex(&d[..d.len().min(64)], 64) || (d.starts_with("${") && d.contains('}'))
}

fn split_args(a: &str) -> Vec<String> {
    a.split_whitespace().map(str::to_string).collect()
}

/// `FROM` images of one Dockerfile.
pub fn dockerfile_from(path: &str, content: &[u8]) -> Result<Deps, AnalysisError> {
    let mut out = Deps::default();
    let text = String::from_utf8_lossy(content);
    if in_vendor(path) || !is_dockerfile(path, content) || !has_commands(&text) || is_template(path)
    {
        return Ok(out);
    }
    let mut args: Vec<(String, String)> = Vec::new();
    let mut stages: BTreeMap<String, bool> = BTreeMap::new();
    for ins in dockerfile_instructions(&text) {
        match ins.keyword.as_str() {
            "ARG" => {
                for w in split_args(&ins.args) {
                    if let Some((k, v)) = w.split_once('=') {
                        args.retain(|(k2, _)| k2 != k);
                        args.push((k.into(), v.trim_matches('"').into()));
                    }
                }
                continue;
            }
            "FROM" => {}
            _ => continue,
        }
        let values: Vec<String> = split_args(&ins.args)
            .into_iter()
            .filter(|w| !w.starts_with("--platform"))
            .map(|mut v| {
                for (k, val) in &args {
                    v = v.replace(&format!("${{{k}}}"), val);
                }
                v
            })
            .collect();
        let (name, alias) = match values.as_slice() {
            [n] => (n.clone(), None),
            [n, a, s] if a.eq_ignore_ascii_case("as") => (n.clone(), Some(s.clone())),
            _ => {
                out.errors.push((
                    path.into(),
                    ins.start_line,
                    format!("unexpected FROM syntax: {}", ins.original),
                ));
                continue;
            }
        };
        if name.eq_ignore_ascii_case("scratch") {
            if let Some(a) = alias {
                stages.insert(a, true);
            }
            continue;
        }
        let pinned = stages.get(&name).copied().unwrap_or(false) || is_digest_pinned(&name);
        if let Some(a) = &alias {
            stages.insert(a.clone(), pinned);
        }
        let (n, at) = match name.split_once(':') {
            Some((n, a)) => (n.to_string(), Some(a.to_string())),
            None => (name.clone(), alias.clone()),
        };
        out.deps.push(Dep {
            kind: "containerImage".into(),
            file: path.into(),
            start_line: ins.start_line,
            end_line: ins.end_line,
            snippet: ins.original.clone(),
            name: Some(n),
            pinned_at: at,
            pinned,
        });
    }
    Ok(out)
}

/// `RUN` commands of one Dockerfile. `files` carries downloaded file names across
/// instructions.
pub fn dockerfile_run(path: &str, content: &[u8]) -> Result<Deps, AnalysisError> {
    let mut out = Deps::default();
    let text = String::from_utf8_lossy(content);
    if in_vendor(path) || !is_dockerfile(path, content) || !has_commands(&text) {
        return Ok(out);
    }
    let mut files = HashSet::new();
    for ins in dockerfile_instructions(&text) {
        if ins.keyword != "RUN" {
            continue;
        }
        let mut scan = ShellScan::default();
        if !ins.heredocs.is_empty() {
            let mut offset = 1u32;
            for body in &ins.heredocs {
                let count = offset + body.matches('\n').count() as u32;
                let start = (ins.start_line + offset).saturating_sub(1);
                let end = (ins.start_line + count).saturating_sub(2);
                shell::analyse(body, start, end, &mut files, &mut scan);
                offset += count;
            }
        } else {
            let cmd = run_command(&ins.args);
            if cmd.trim().is_empty() {
                out.errors
                    .push((path.into(), ins.start_line, "empty RUN".into()));
                continue;
            }
            shell::analyse(
                &cmd,
                ins.start_line - 1,
                ins.end_line.saturating_sub(1),
                &mut files,
                &mut scan,
            );
        }
        out.add_shell(path, scan);
    }
    Ok(out)
}

/// The shell text of a RUN: the JSON (exec) form's words joined by spaces, else the text after
/// any `--mount=…`-style flags.
fn run_command(args: &str) -> String {
    let t = args.trim();
    if t.starts_with('[')
        && let Ok(v) = serde_json::from_str::<Vec<String>>(t)
    {
        return v.join(" ");
    }
    let mut rest = t;
    while rest.starts_with("--") {
        rest = rest
            .split_once(char::is_whitespace)
            .map(|x| x.1.trim_start())
            .unwrap_or("");
    }
    rest.to_string()
}

/// One standalone shell script.
pub fn shell_script(path: &str, content: &[u8]) -> Deps {
    let mut out = Deps::default();
    if !shell::is_supported_shell_script(path, content) {
        return out;
    }
    let mut scan = ShellScan::default();
    shell::analyse(
        &String::from_utf8_lossy(content),
        0,
        0,
        &mut HashSet::new(),
        &mut scan,
    );
    out.add_shell(path, scan);
    out
}

/// The shell of every step with `run:` (file order).
pub fn workflow_step_shells(text: &str) -> Result<Vec<Option<String>>, String> {
    let wf = workflow::parse(text).map_err(|e| e.message)?;
    let mut out = Vec::new();
    for job in &wf.jobs {
        for s in &job.steps {
            if s.run.is_some() {
                out.push(workflow::step_shell(&wf, job, s));
            }
        }
    }
    Ok(out)
}

/// Replaces `${{ … }}` expressions so that the shell reader sees a word.
fn redact_expressions(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find("{{") {
        let Some(q) = rest[p + 2..].find("}}") else {
            break;
        };
        let inner = &rest[p + 2..p + 2 + q];
        if inner.contains('{') || inner.contains('}') {
            out.push_str(&rest[..p + 2]);
            rest = &rest[p + 2..];
            continue;
        }
        out.push_str(&rest[..p]);
        out.push_str("GITHUB_REDACTED_VAR");
        rest = &rest[p + 2 + q + 2..];
    }
    out.push_str(rest);
    out
}

/// Shell `run:` steps of one workflow.
pub fn workflow_run_scripts(path: &str, text: &str) -> Result<Deps, AnalysisError> {
    let mut out = Deps::default();
    if !is_workflow_path(path) || !has_commands(text) {
        return Ok(out);
    }
    let wf = workflow::parse(text).map_err(|e| AnalysisError {
        file: path.into(),
        line: e.line,
        message: e.message,
    })?;
    for job in &wf.jobs {
        let mut files = HashSet::new();
        for s in &job.steps {
            let Some((run, line)) = &s.run else { continue };
            let Some(sh) = workflow::step_shell(&wf, job, s) else {
                out.errors.push((
                    path.into(),
                    s.line,
                    format!("cannot determine the shell of a step of job {}", job.id),
                ));
                continue;
            };
            if !shell::is_supported_shell(&sh) {
                continue;
            }
            let mut scan = ShellScan::default();
            shell::analyse(
                &redact_expressions(run),
                *line,
                *line,
                &mut files,
                &mut scan,
            );
            out.add_shell(path, scan);
        }
    }
    Ok(out)
}

/// Whether a .csproj sets `RestoreLockedMode` to true; `Err` when it is not XML.
pub fn csproj_locked_mode(content: &[u8]) -> Result<bool, String> {
    let mut found = false;
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut in_prop = false;
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                in_prop = e.local_name().as_ref() == "RestoreLockedMode";
            }
            Ok(quick_xml::events::Event::End(_)) => {
                depth = depth.saturating_sub(1);
                in_prop = false;
            }
            Ok(quick_xml::events::Event::Text(t)) if in_prop => {
                let v = t.xml10_content().trim().to_ascii_lowercase();
                found = v == "true";
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
        buf.clear();
    }
    if depth != 0 {
        return Err("unclosed element".into());
    }
    if content.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty project file".into());
    }
    Ok(found)
}

/// Central package management in a Directory.*.props: (enabled, fixed versions, floating).
pub fn nuget_cpm_props(content: &[u8]) -> Result<(bool, usize, usize), String> {
    let mut enabled = false;
    let (mut fixed, mut floating) = (0, 0);
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut in_cpm = false;
    let mut buf = Vec::new();
    let mut versions = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?;
        match ev {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let n = e.local_name().as_ref().to_string();
                in_cpm = n == "ManagePackageVersionsCentrally";
                if n == "PackageVersion" {
                    let v = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "Version")
                        .map(|a| a.value.to_string());
                    versions.push(v);
                }
            }
            quick_xml::events::Event::Text(t) if in_cpm => {
                enabled = t.xml10_content().trim().eq_ignore_ascii_case("true");
            }
            quick_xml::events::Event::End(_) => in_cpm = false,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if enabled {
        for v in versions {
            match v {
                Some(v) if is_exact_nuget(&v) => fixed += 1,
                _ => floating += 1,
            }
        }
    }
    Ok((enabled, fixed, floating))
}

/// `[1.2.3]`: NuGet's exact-version range.
fn is_exact_nuget(v: &str) -> bool {
    let t = v.trim();
    t.starts_with('[') && t.ends_with(']') && !t.contains(',') && t.len() > 2
}

/// Re-classifies unpinned NuGet installs when lock mode makes them reproducible: with central
/// package management, when every version is exact; otherwise when every .csproj sets
/// RestoreLockedMode. Returns the projects that do not (for the remediation text).
pub fn nuget_post_process(tree: &Tree, deps: &mut Deps) -> Vec<String> {
    if !deps
        .deps
        .iter()
        .any(|d| d.kind == "nugetCommand" && !d.pinned)
    {
        return Vec::new();
    }
    let mut cpm: Option<(bool, usize, usize)> = None;
    for (i, p) in tree.matching(|p| {
        let n = file_name(p).to_ascii_lowercase();
        n.starts_with("directory.") && n.ends_with(".props")
    }) {
        let _ = p;
        if let Some(c) = tree.read_at(i).and_then(|b| nuget_cpm_props(&b).ok()) {
            cpm = Some(c);
        }
    }
    let mut unlocked = Vec::new();
    let mut projects = 0;
    for (i, p) in tree.matching(|p| p.to_ascii_lowercase().ends_with(".csproj")) {
        if let Some(Ok(locked)) = tree.read_at(i).map(|b| csproj_locked_mode(&b)) {
            projects += 1;
            if !locked {
                unlocked.push(format!("./{p}"));
            }
        }
    }
    let pin_all = match cpm {
        Some((true, _, floating)) => floating == 0,
        _ => projects > 0 && unlocked.is_empty(),
    };
    if pin_all {
        for d in deps.deps.iter_mut().filter(|d| d.kind == "nugetCommand") {
            d.pinned = true;
        }
        return Vec::new();
    }
    if unlocked.len() == projects {
        return Vec::new();
    }
    unlocked
}

/// Every dependency of the repository.
pub fn collect(tree: &Tree) -> (Deps, Vec<AnalysisError>) {
    let mut all = Deps::default();
    let mut hard = Vec::new();
    let mut merge = |r: Result<Deps, AnalysisError>, all: &mut Deps| match r {
        Ok(d) => {
            all.deps.extend(d.deps);
            all.errors.extend(d.errors);
        }
        Err(e) => hard.push(e),
    };
    for (i, p) in tree.matching(Tree::is_scanned) {
        let Some(content) = tree.read_at(i) else {
            continue;
        };
        if is_workflow_path(p) {
            let text = String::from_utf8_lossy(&content);
            merge(gha_uses(p, &text), &mut all);
            merge(workflow_run_scripts(p, &text), &mut all);
        }
        if file_name(p).to_ascii_lowercase().contains("dockerfile") {
            merge(dockerfile_from(p, &content), &mut all);
            merge(dockerfile_run(p, &content), &mut all);
        }
        if shell::is_supported_shell_script(p, &content) && !in_vendor(p) {
            let d = shell_script(p, &content);
            all.deps.extend(d.deps);
            all.errors.extend(d.errors);
        }
    }
    nuget_post_process(tree, &mut all);
    (all, hard)
}

fn group(d: &Dep) -> String {
    if d.kind == "GitHubAction" {
        let n = d.name.as_deref().unwrap_or("");
        if n.starts_with("actions/") || n.starts_with("github/") {
            "GitHub-owned GitHubAction".into()
        } else {
            "third-party GitHubAction".into()
        }
    } else {
        d.kind.clone()
    }
}

pub fn check(tree: &Tree) -> CheckResult {
    let (deps, hard) = collect(tree);
    let mut r = CheckResult::new(NAME, Score::Inconclusive, "");
    for e in &hard {
        r.findings.push(Finding::new(
            "unreadable-file",
            &e.file,
            e.line,
            Some(e.message.clone()),
        ));
    }
    for (f, l, m) in &deps.errors {
        r.findings.push(Finding::new(
            "processing-error",
            f,
            Some(*l),
            Some(m.clone()),
        ));
    }
    if deps.deps.is_empty() {
        r.reason = "no dependencies found".into();
        r.score = Score::Value(10);
        r.details.push("Info: no dependencies to pin".into());
        return r;
    }
    let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for d in &deps.deps {
        let g = groups.entry(group(d)).or_default();
        g.1 += 1;
        if d.pinned {
            g.0 += 1;
        } else {
            r.details.push(format!(
                "Warn: {} not pinned by hash: {}:{}",
                d.kind, d.file, d.start_line
            ));
            r.findings.push(Finding::new(
                &format!("unpinned-{}", d.kind),
                &d.file,
                Some(d.start_line),
                Some(d.snippet.clone()),
            ));
        }
    }
    // Each dependency type counts equally; GitHub-owned actions weigh 2 and third-party 8 of
    // the actions' share, as Scorecard weighs them.
    let (mut sum, mut weight) = (0.0, 0.0);
    for (g, (pinned, total)) in &groups {
        let w = match g.as_str() {
            "GitHub-owned GitHubAction" => 0.2,
            "third-party GitHubAction" => 0.8,
            _ => 1.0,
        };
        let ratio = *pinned as f64 / *total as f64;
        sum += ratio * 10.0 * w;
        weight += w;
        r.details
            .push(format!("Info: {g}: {pinned}/{total} pinned"));
    }
    r.score = Score::clamp(sum / weight);
    r.reason = if deps.unpinned() == 0 {
        "all dependencies are pinned".into()
    } else {
        format!(
            "{} of {} dependencies are not pinned",
            deps.unpinned(),
            deps.deps.len()
        )
    };
    r
}
