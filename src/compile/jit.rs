//! The JIT: the host's instruction set from `cranelift-native`, a module whose symbol
//! table holds the helpers ([`super::helpers`]), functions defined into it chunk by
//! chunk, and the code's memory, freed with the [`Jit`].

use cranelift_codegen::ir::{types, AbiParam, Function, Signature, UserFuncName};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, FuncId, Linkage, Module};

use super::helpers;
use super::NotCompiled;
use crate::ops::{Binary, Operands, Unary};

/// A module of compiled functions, and the memory that holds their code.
pub(super) struct Jit {
    /// `None` only while it is dropped.
    module: Option<JITModule>,
    context: Context,
    builder_context: FunctionBuilderContext,
    /// The helpers declared so far, by symbol.
    helpers: std::collections::HashMap<String, FuncId>,
    next: u32,
    code_bytes: usize,
}

// SAFETY: after `finish`, the module is touched only when it is dropped; the code it
// holds is immutable and reads and writes only the memory its caller passes.
unsafe impl Send for Jit {}
unsafe impl Sync for Jit {}

impl Drop for Jit {
    fn drop(&mut self) {
        if let Some(module) = self.module.take() {
            // SAFETY: the function pointers into this module live in the `Compiled`
            // that owns it, and go with it.
            unsafe { module.free_memory() };
        }
    }
}

impl Jit {
    /// A module for the host, or why there is none; with `optimise`, Cranelift's
    /// optimiser runs on every function.
    pub(super) fn new(optimise: bool) -> Result<Jit, NotCompiled> {
        Self::for_host(optimise, cranelift_native::builder())
    }

    /// A module for the machine `host` describes (`cranelift_native`'s answer for this
    /// one), or why there is none.
    pub(super) fn for_host(
        optimise: bool,
        host: Result<cranelift_codegen::isa::Builder, &'static str>,
    ) -> Result<Jit, NotCompiled> {
        let unsupported = |e: String| NotCompiled::Unsupported(e);
        let mut flags = settings::builder();
        let mut set = |name: &str, value: &str| {
            flags
                .set(name, value)
                .map_err(|e| unsupported(format!("{name}={value}: {e}")))
        };
        set("use_colocated_libcalls", "false")?;
        set("is_pic", "false")?;
        // The code generator writes each value once and loads each operand once: on
        // straight-line code the optimiser finds little, and costs compile time; in a
        // loop's body it keeps constants and addresses in registers across copies.
        set("opt_level", if optimise { "speed" } else { "none" })?;
        // The code is generated from a checked program; the verifier would check it again.
        set("enable_verifier", "false")?;
        let isa = host
            .map_err(|e| unsupported(e.to_string()))?
            .finish(settings::Flags::new(flags))
            .map_err(|e| unsupported(e.to_string()))?;
        let mut builder = JITBuilder::with_isa(isa, default_libcall_names());
        for (name, pointer) in helpers::symbols() {
            builder.symbol(name, pointer);
        }
        let module = JITModule::new(builder);
        let context = module.make_context();
        Ok(Jit {
            module: Some(module),
            context,
            builder_context: FunctionBuilderContext::new(),
            helpers: std::collections::HashMap::new(),
            next: 0,
            code_bytes: 0,
        })
    }

    fn module(&mut self) -> &mut JITModule {
        self.module
            .as_mut()
            .expect("the module lives until the Jit is dropped")
    }

    pub(super) fn pointer(&mut self) -> types::Type {
        self.module().target_config().pointer_type()
    }

    /// The helper `name`, taking `params` and returning `returns` (`None`: nothing),
    /// declared in the module.
    pub(super) fn helper(
        &mut self,
        name: String,
        params: &[types::Type],
        returns: Option<types::Type>,
    ) -> Result<FuncId, NotCompiled> {
        if let Some(&id) = self.helpers.get(&name) {
            return Ok(id);
        }
        let mut signature = self.module().make_signature();
        signature
            .params
            .extend(params.iter().map(|&t| AbiParam::new(t)));
        signature.returns.extend(returns.map(AbiParam::new));
        let id = self
            .module()
            .declare_function(&name, Linkage::Import, &signature)
            .map_err(codegen)?;
        self.helpers.insert(name, id);
        Ok(id)
    }

    /// The helper of a function of one argument.
    pub(super) fn unary(&mut self, op: Unary) -> Result<FuncId, NotCompiled> {
        let p = self.pointer();
        let (name, _) = helpers::unary_helper(op);
        self.helper(name, &[types::F64, p, p], Some(types::I32))
    }

    /// The helper of a function of two arguments with `operands`.
    pub(super) fn binary(&mut self, op: Binary, operands: Operands) -> Result<FuncId, NotCompiled> {
        let p = self.pointer();
        let (name, _) = helpers::binary_helper(op, operands);
        self.helper(name, &[types::F64, types::F64, p, p, p], Some(types::I32))
    }

    /// The helper of a function of one argument's second derivative.
    pub(super) fn unary_second(&mut self, op: Unary) -> Result<FuncId, NotCompiled> {
        let (name, _) = helpers::unary_second_helper(op);
        self.helper(name, &[types::F64; 3], Some(types::F64))
    }

    /// The helper of a function of two arguments' second partials with `operands`.
    pub(super) fn binary_second(
        &mut self,
        op: Binary,
        operands: Operands,
    ) -> Result<FuncId, NotCompiled> {
        let p = self.pointer();
        let (name, _) = helpers::binary_second_helper(op, operands);
        self.helper(name, &[types::F64, types::F64, p], None)
    }

    /// A function taking the working memory's address and returning an `i64` status
    /// (with `status`) or nothing, its body written by `body`.
    pub(super) fn define(
        &mut self,
        status: bool,
        body: impl FnOnce(&mut FunctionBuilder, &mut JitFunctions) -> Result<(), NotCompiled>,
    ) -> Result<FuncId, NotCompiled> {
        self.define_with(1, status, body)
    }

    /// [`Jit::define`] for a function of `pointers` addresses.
    pub(super) fn define_with(
        &mut self,
        pointers: usize,
        status: bool,
        body: impl FnOnce(&mut FunctionBuilder, &mut JitFunctions) -> Result<(), NotCompiled>,
    ) -> Result<FuncId, NotCompiled> {
        let p = self.pointer();
        let mut signature: Signature = self.module().make_signature();
        signature
            .params
            .extend((0..pointers).map(|_| AbiParam::new(p)));
        if status {
            signature.returns.push(AbiParam::new(types::I64));
        }
        let name = format!("wengert_chunk_{}", self.next);
        self.next += 1;
        let id = self
            .module()
            .declare_function(&name, Linkage::Local, &signature)
            .map_err(codegen)?;
        let mut context = std::mem::replace(&mut self.context, Context::new());
        context.func = Function::with_name_signature(UserFuncName::user(0, id.as_u32()), signature);
        let mut builder_context = std::mem::take(&mut self.builder_context);
        let config = self.module().target_config();
        let result = (|| {
            let mut builder = FunctionBuilder::new(&mut context.func, &mut builder_context);
            let mut functions = JitFunctions {
                jit: self,
                imported: Vec::new(),
            };
            body(&mut builder, &mut functions)?;
            builder.seal_all_blocks();
            builder.finalize(config);
            let module = self.module();
            module.define_function(id, &mut context).map_err(codegen)?;
            if let Some(code) = context.compiled_code() {
                self.code_bytes += code.code_info().total_size as usize;
            }
            self.module().clear_context(&mut context);
            Ok(id)
        })();
        self.context = context;
        self.builder_context = builder_context;
        result
    }

    /// Link every function defined; then [`Jit::address`] gives their code.
    pub(super) fn finish(&mut self) -> Result<(), NotCompiled> {
        self.module().finalize_definitions().map_err(codegen)
    }

    /// The size of the code defined so far, in bytes.
    pub(super) fn code_bytes(&self) -> usize {
        self.code_bytes
    }

    /// The address of a function's code, after [`Jit::finish`].
    pub(super) fn address(&mut self, id: FuncId) -> *const u8 {
        self.module().get_finalized_function(id)
    }
}

/// The helpers as a function being written calls them.
pub(super) struct JitFunctions<'a> {
    jit: &'a mut Jit,
    imported: Vec<(FuncId, cranelift_codegen::ir::FuncRef)>,
}

impl JitFunctions<'_> {
    fn import(
        &mut self,
        id: FuncId,
        builder: &mut FunctionBuilder,
    ) -> cranelift_codegen::ir::FuncRef {
        if let Some(&(_, r)) = self.imported.iter().find(|(i, _)| *i == id) {
            return r;
        }
        let r = self.jit.module().declare_func_in_func(id, builder.func);
        self.imported.push((id, r));
        r
    }

    /// The helper of `op` as a callee of the function being written.
    pub(super) fn unary(
        &mut self,
        op: Unary,
        builder: &mut FunctionBuilder,
    ) -> Result<cranelift_codegen::ir::FuncRef, NotCompiled> {
        let id = self.jit.unary(op)?;
        Ok(self.import(id, builder))
    }

    /// The helper of `op` with `operands` as a callee of the function being written.
    pub(super) fn binary(
        &mut self,
        op: Binary,
        operands: Operands,
        builder: &mut FunctionBuilder,
    ) -> Result<cranelift_codegen::ir::FuncRef, NotCompiled> {
        let id = self.jit.binary(op, operands)?;
        Ok(self.import(id, builder))
    }

    /// The helper `name` (see [`Jit::helper`]) as a callee; pointers are `None`
    /// in `params`.
    pub(super) fn named(
        &mut self,
        name: &str,
        params: &[Option<types::Type>],
        builder: &mut FunctionBuilder,
    ) -> Result<cranelift_codegen::ir::FuncRef, NotCompiled> {
        let p = self.jit.pointer();
        let params: Vec<types::Type> = params.iter().map(|t| t.unwrap_or(p)).collect();
        let id = self.jit.helper(name.to_string(), &params, None)?;
        Ok(self.import(id, builder))
    }

    /// The helper of `op`'s second derivative as a callee.
    pub(super) fn unary_second(
        &mut self,
        op: Unary,
        builder: &mut FunctionBuilder,
    ) -> Result<cranelift_codegen::ir::FuncRef, NotCompiled> {
        let id = self.jit.unary_second(op)?;
        Ok(self.import(id, builder))
    }

    /// The helper of `op`'s second partials with `operands` as a callee.
    pub(super) fn binary_second(
        &mut self,
        op: Binary,
        operands: Operands,
        builder: &mut FunctionBuilder,
    ) -> Result<cranelift_codegen::ir::FuncRef, NotCompiled> {
        let id = self.jit.binary_second(op, operands)?;
        Ok(self.import(id, builder))
    }
}

fn codegen(e: impl std::fmt::Display) -> NotCompiled {
    NotCompiled::Codegen(e.to_string())
}
